using Facemoji.Cli.Tests.Training;
using Facemoji.Imaging;

namespace Facemoji.Cli.Tests.Consistency;

/// <summary>
/// Nothing is written unless asked for or announced: each verb runs in an empty current folder (with the XDG cache
/// folder moved into a temp folder of its own), and every file that appears must be named in what the run printed.
/// </summary>
public sealed class AnnouncedFilesTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "facemoji-announced-tests", Guid.NewGuid().ToString("N"));
    private readonly string work;
    private readonly string inputs;
    private readonly Dictionary<string, string> environment;

    public AnnouncedFilesTests()
    {
        work = Path.Combine(root, "cwd");
        inputs = Path.Combine(root, "inputs");
        Directory.CreateDirectory(work);
        Directory.CreateDirectory(inputs);
        // The dataset cache goes under XDG_CACHE_HOME, never the current folder; FACEMOJI_CACHE_DIR is left unset.
        environment = new() { ["XDG_CACHE_HOME"] = Path.Combine(root, "xdg-cache"), ["FACEMOJI_CACHE_DIR"] = string.Empty, ["FACEMOJI_PACKS"] = Path.Combine(root, "packs") };
        File.Copy(RepositoryFiles.SamplePhoto(), Path.Combine(inputs, "astronaut.png"));
        ImageCodecs.Save(new RgbaImage(64, 48), Path.Combine(inputs, "blank.png"));
        File.WriteAllText(Path.Combine(inputs, "notes.txt"), "not an image");
        Directory.CreateDirectory(Path.Combine(inputs, "more"));
        File.Copy(RepositoryFiles.SamplePhoto(), Path.Combine(inputs, "more", "again.png"));
        File.WriteAllText(Path.Combine(inputs, "faces.csv"), TrainEvaluateCommandTests.SyntheticCsv(trainPerClass: 6, valPerClass: 2));
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
    [Trait("Category", "Slow")]
    public void Image_with_json_writes_no_picture_and_without_a_face_no_copy()
    {
        var json = Run(out var written, "image", In("astronaut.png"), "--json");
        json.ExitCode.Should().Be(0, json.Stderr);
        written.Should().BeEmpty("--json without -o writes no pictures");
        json.Stdout.Should().StartWith("{").And.Contain("\"happy\"");
        json.Stderr.Should().Contain("models/facemoji.fmj (sha256 ", "each run says which model file ran");

        var blank = Run(out written, "image", In("blank.png"));
        blank.ExitCode.Should().Be(0, blank.Stderr);
        written.Should().BeEmpty("a photo without a face gets no annotated copy");
        blank.Stdout.Should().Contain("no face").And.Contain("copy)");

        var table = Run(out written, "image", In("astronaut.png"), "--mode", "BADGE");
        table.ExitCode.Should().Be(0, table.Stderr);
        written.Should().Equal(Path.Combine("out", "astronaut.facemoji.png"));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Image_folders_count_what_they_skip_and_recursive_enters_subfolders()
    {
        var flat = Run(out var written, "image", inputs, "--json", "-o", "copies");
        flat.ExitCode.Should().Be(0, flat.Stderr);
        flat.Stderr.Should().Contain("skipped 2 files of other formats and 1 sub-folder");
        flat.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2, "astronaut.png and blank.png");
        written.Should().Equal(Path.Combine("copies", "astronaut.facemoji.png"));

        var deep = Run(out written, "image", inputs, "--json", "--recursive");
        deep.ExitCode.Should().Be(0, deep.Stderr);
        deep.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(3, "the sub-folder's photo too");
        deep.Stderr.Should().NotContain("sub-folder");
        written.Should().BeEmpty();

        // As a batch (--jsonl) too: --recursive was ignored there, and the sub-folder's photo left out.
        var batch = Run(out written, "image", inputs, "--recursive", "--no-images", "--jsonl", "results.jsonl");
        batch.ExitCode.Should().Be(0, batch.Stderr);
        File.ReadAllLines(Path.Combine(work, "results.jsonl")).Should().HaveCount(3, "the sub-folder's photo too");
        written.Should().Equal("results.jsonl");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Train_and_evaluate_write_beside_the_model_and_cache_outside_the_current_folder()
    {
        var train = Run(out var written, "train", "--data", In("faces.csv"), "--epochs", "1", "--batch-size", "14", "-o", "run/model.fmj");
        train.ExitCode.Should().Be(0, train.Stderr);
        written.Should().BeEquivalentTo([Path.Combine("run", "model.fmj"), Path.Combine("run", "model.fmjckpt"), Path.Combine("run", "model.curves.svg"), Path.Combine("run", "model.curves.png")]);
        train.Stdout.Should().Contain("1 epoch run").And.NotContain("1 epochs");
        Directory.EnumerateFiles(Path.Combine(root, "xdg-cache", "facemoji", "datasets")).Should().NotBeEmpty("the decoded data is cached under $XDG_CACHE_HOME/facemoji");

        var evaluate = Run(out written, "evaluate", "--data", In("faces.csv"), "--model", "run/model.fmj", "--split", "VAL");
        evaluate.ExitCode.Should().Be(0, evaluate.Stderr);
        written.Should().BeEmpty("evaluate writes its confusion matrix only where -o says");
        evaluate.Stdout.Should().Contain("model.fmj (sha256 ");

        var report = Run(out written, "evaluate", "--data", In("faces.csv"), "--model", "run/model.fmj", "--split", "val", "-o", "reports/confusion.svg");
        report.ExitCode.Should().Be(0, report.Stderr);
        written.Should().BeEquivalentTo([Path.Combine("reports", "confusion.svg"), Path.Combine("reports", "reliability.svg")]);
        report.Stdout.Should().Contain("reliability.svg", "the reliability diagram beside the confusion matrix is announced too");

        var png = Run(out written, "evaluate", "--data", In("faces.csv"), "--model", "run/model.fmj", "--split", "val", "-o", "reports/confusion.png");
        png.ExitCode.Should().Be(0, png.Stderr);
        written.Should().BeEquivalentTo([Path.Combine("reports", "confusion.png"), Path.Combine("reports", "reliability.png")]);

        var badName = Run(out written, "evaluate", "--data", In("faces.csv"), "--model", "run/model.fmj", "-o", "reports/confusion.pdf");
        badName.ExitCode.Should().Be(1);
        badName.Stderr.Should().Contain("confusion.pdf").And.Contain(".png or .svg");
        written.Should().BeEmpty();
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Packs_and_video_write_only_what_they_announce_and_check_outputs_first()
    {
        var show = Run(out var written, "packs", "show", "facemoji", "-o", "sheet.png");
        show.ExitCode.Should().Be(0, show.Stderr);
        written.Should().Equal("sheet.png");

        var created = Run(out written, "packs", "new", "mine", "-o", "mine");
        created.ExitCode.Should().Be(0, created.Stderr);
        written.Should().Contain(Path.Combine("mine", "pack.json")).And.HaveCount(22, "pack.json and 7 emotions x 3 intensities");
        var again = Run(out written, "packs", "new", "mine", "-o", "mine");
        again.ExitCode.Should().Be(1);
        again.Stderr.Should().Contain("already exists");
        var used = Run(out written, "image", In("astronaut.png"), "--pack", "mine", "--json");
        used.ExitCode.Should().Be(0, used.Stderr);

        var gifName = Run(out written, "video", In("astronaut.png"), "-o", "clip.xyz");
        gifName.ExitCode.Should().Be(1);
        gifName.Stderr.Should().Contain("clip.xyz").And.Contain(".gif");
        written.Should().BeEmpty();

        var missing = Run(out written, "video", In("no-such-clip.mp4"));
        missing.ExitCode.Should().Be(1);
        missing.Stderr.Should().Contain("no-such-clip.mp4");
        written.Should().BeEmpty();
        Directory.Exists(Path.Combine(work, "out")).Should().BeFalse("a run that fails up front makes no folder");
    }

    private string In(string name) => Path.Combine(inputs, name);

    /// <summary>Runs facemoji in the empty folder; <paramref name="newFiles"/> are the files that appeared, each of which must be named in the output.</summary>
    private CliRun.Result Run(out List<string> newFiles, params string[] args)
    {
        var before = Files();
        var result = CliRun.Run(work, environment, args);
        newFiles = Files().Except(before).Order(StringComparer.Ordinal).ToList();
        string said = result.Stdout + result.Stderr;
        foreach (string file in newFiles)
        {
            bool named = said.Contains(file) || (file.StartsWith("mine") && said.Contains("mine"));
            named.Should().BeTrue($"'facemoji {string.Join(' ', args)}' wrote {file} and must say so: {said}");
        }

        return result;
    }

    private HashSet<string> Files() =>
        Directory.EnumerateFiles(work, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(work, f)).ToHashSet();
}
