using Facemoji.Cli.Tests.Training;

namespace Facemoji.Cli.Tests.Terminal;

/// <summary>
/// Into pipes (as these tests read them) every verb with progress bars writes plain text: no colour or cursor codes
/// and no bars, on standard output or standard error, with or without --json.
/// </summary>
// End-to-end runs of the facemoji process (training a model among them): make test, not test-fast.
[Trait("Category", "Slow")]
public sealed class PlainOutputTests : IDisposable
{
    private const char Escape = '\u001b';
    private static readonly string[] BarGlyphs = ["━", "█", "⠋", "⣾"];

    private readonly string root = Path.Combine(Path.GetTempPath(), "facemoji-plain-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string> environment;

    public PlainOutputTests()
    {
        Directory.CreateDirectory(root);
        environment = new() { ["XDG_CACHE_HOME"] = Path.Combine(root, "cache"), ["FACEMOJI_CACHE_DIR"] = string.Empty };
        File.WriteAllText(Path.Combine(root, "faces.csv"), TrainEvaluateCommandTests.SyntheticCsv(trainPerClass: 6, valPerClass: 2));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void Train_and_evaluate_write_plain_text_into_pipes()
    {
        var train = CliRun.Run(root, environment, "train", "--data", "faces.csv", "--epochs", "2", "--batch-size", "14", "-o", "model.fmj");
        train.ExitCode.Should().Be(0, train.Stderr);
        Plain(train);
        train.Stdout.Should().Contain("epoch 2");

        var table = CliRun.Run(root, environment, "evaluate", "--data", "faces.csv", "--model", "model.fmj", "--split", "val");
        table.ExitCode.Should().Be(0, table.Stderr);
        Plain(table);
        table.Stdout.Should().Contain("precision").And.Contain("confusion");

        var json = CliRun.Run(root, environment, "evaluate", "--data", "faces.csv", "--model", "model.fmj", "--split", "val", "--json");
        json.ExitCode.Should().Be(0, json.Stderr);
        Plain(json);
        json.Stdout.Trim().Should().StartWith("{").And.EndWith("}", "--json prints one JSON object and nothing else");
    }

    [Fact]
    public void Image_on_a_folder_writes_plain_text_into_pipes()
    {
        string photos = Path.Combine(root, "photos");
        Directory.CreateDirectory(photos);
        File.Copy(SamplePhoto(), Path.Combine(photos, "a.png"));
        File.Copy(SamplePhoto(), Path.Combine(photos, "b.png"));

        var table = CliRun.Run(root, environment, "image", photos, "--no-images");
        table.ExitCode.Should().Be(0, table.Stderr);
        Plain(table);
        table.Stdout.Should().Contain("a.png").And.Contain("b.png");

        var json = CliRun.Run(root, environment, "image", photos, "--json");
        json.ExitCode.Should().Be(0, json.Stderr);
        Plain(json);
        json.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2).And.OnlyContain(l => l.StartsWith('{'));
    }

    private static string SamplePhoto()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "third_party", "skimage", "astronaut.png");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("third_party/skimage/astronaut.png: run tools/setup.sh");
    }

    private static void Plain(CliRun.Result run)
    {
        foreach (string text in new[] { run.Stdout, run.Stderr })
        {
            text.Should().NotContain(Escape.ToString(), "no colour or cursor codes go into a pipe");
            foreach (string glyph in BarGlyphs)
            {
                text.Should().NotContain(glyph, "no progress bar goes into a pipe");
            }
        }
    }
}
