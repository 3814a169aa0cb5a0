using Facemoji.Engine;
using Facemoji.Pipeline.Batch;

namespace Facemoji.Pipeline.Tests.Batch;

public sealed class JsonlResultsTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"facemoji-jsonl-{Guid.NewGuid():N}");

    public JsonlResultsTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Lines_are_on_disk_as_soon_as_they_are_appended()
    {
        string path = Path.Combine(folder, "r.jsonl");
        using var results = JsonlResults.Open(path, resume: false);
        results.Append("""{"file":"a.png","faces":[]}""");
        // Read by another handle while the writer is still open, as a watcher or a killed worker's successor would.
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        reader.ReadToEnd().Should().Be("{\"file\":\"a.png\",\"faces\":[]}\n");
    }

    [Fact]
    public void Resume_knows_the_done_inputs_and_drops_a_line_cut_short()
    {
        string path = Path.Combine(folder, "r.jsonl");
        File.WriteAllText(path, "{\"file\":\"a.png\",\"faces\":[]}\n{\"file\":\"b.png\",\"error\":\"x\"}\n{\"file\":\"c.png\",\"fa");
        using (var results = JsonlResults.Open(path, resume: true))
        {
            results.Done.Should().BeEquivalentTo(["a.png", "b.png"]);
            results.Append("""{"file":"c.png","faces":[]}""");
        }

        File.ReadAllLines(path).Should().Equal("{\"file\":\"a.png\",\"faces\":[]}", "{\"file\":\"b.png\",\"error\":\"x\"}", "{\"file\":\"c.png\",\"faces\":[]}");
    }

    [Fact]
    public void A_file_with_results_is_refused_without_resume()
    {
        string path = Path.Combine(folder, "r.jsonl");
        File.WriteAllText(path, "{\"file\":\"a.png\",\"faces\":[]}\n");
        var act = () => JsonlResults.Open(path, resume: false);
        act.Should().Throw<FacemojiException>().WithMessage("*already holds results*--resume*");
        File.ReadAllText(path).Should().Be("{\"file\":\"a.png\",\"faces\":[]}\n", "a refused file is left as it was");
    }

    [Fact(Timeout = 10_000)]
    public async Task A_device_is_refused_as_the_results_file()
    {
        var act = () => JsonlResults.Open("/dev/zero", resume: true);
        await Task.Run(() => act.Should().Throw<FacemojiException>().WithMessage("/dev/zero: is not a regular file (a FIFO, device or socket); name a results file"));
    }

    [Fact]
    public void A_file_that_is_not_results_is_refused_on_resume()
    {
        string path = Path.Combine(folder, "notes.txt");
        File.WriteAllText(path, "shopping list\nmilk\n");
        var act = () => JsonlResults.Open(path, resume: true);
        act.Should().Throw<FacemojiException>().WithMessage("*notes.txt line 1: not a results line*");
        File.ReadAllText(path).Should().Be("shopping list\nmilk\n");
    }
}
