using System.Security.Cryptography;
using System.Text.Json;

namespace Facemoji.Cli.Tests.Training;

/// <summary>
/// <c>facemoji train --teacher</c> end to end on a generated CSV with the shipped model as the teacher: the model
/// file records the teacher (shown by <c>model show</c>), and bad teachers and settings are one error line, exit
/// code 1, before any data is loaded and with nothing written.
/// </summary>
public sealed class DistillCommandTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "facemoji-cli-distill-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string> environment;
    private readonly string shipped = RepositoryFiles.PathOf("models", "facemoji.fmj");

    public DistillCommandTests()
    {
        Directory.CreateDirectory(folder);
        environment = new() { ["FACEMOJI_CACHE_DIR"] = Path.Combine(folder, "cache") };
        File.WriteAllText(Path.Combine(folder, "faces.csv"), TrainEvaluateCommandTests.SyntheticCsv(trainPerClass: 4, valPerClass: 2));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private CliRun.Result Facemoji(params string[] args) => CliRun.Run(folder, environment, args);

    [Fact]
    [Trait("Category", "Slow")]
    public void A_distilled_run_records_its_teacher_and_model_show_prints_it()
    {
        var train = Facemoji("train", "--data", "faces.csv", "--epochs", "1", "--batch-size", "14", "--teacher", shipped, "--distill-weight", "0.5", "--distill-temperature", "3", "-o", "run/model.fmj");
        train.ExitCode.Should().Be(0, train.Stderr);
        train.Stdout.Should().Contain("distilling from 1 teacher (").And.Contain("0.5·T²·KL at T = 3");

        string sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(shipped)));
        var show = Facemoji("model", "show", "run/model.fmj", "--json");
        show.ExitCode.Should().Be(0, show.Stderr);
        using var doc = JsonDocument.Parse(show.Stdout);
        var info = doc.RootElement.GetProperty("training_info");
        info.GetProperty("teachers").GetString().Should().Be($"{shipped} (sha256 {sha})");
        info.GetProperty("distillation").GetString().Should().Be("weight 0.5, temperature 3");
        info.GetProperty("options").GetString().Should().Contain("\"DistillationWeight\":0.5").And.Contain("\"DistillationTemperature\":3");
        Facemoji("model", "show", "run/model.fmj").Stdout.Should().Contain("teachers").And.Contain(sha);
    }

    [Fact]
    public void Bad_teachers_and_settings_are_one_error_line_before_any_data_and_nothing_is_written()
    {
        string text = Path.Combine(folder, "notes.fmj");
        File.WriteAllText(text, "not a model");
        var cases = new (string[] Args, string Error)[]
        {
            (["--teacher", "missing.fmj"], "error: --teacher missing.fmj: no such model file."),
            (["--teacher", shipped, "--teacher", "notes.fmj"], "error: --teacher notes.fmj: "),
            (["--teacher", shipped, "--distill-weight", "1.5"], "error: --distill-weight must be in [0, 1], not 1.5."),
            (["--teacher", shipped, "--distill-temperature", "0"], "error: --distill-temperature must be a finite number above 0, not 0."),
            (["--distill-temperature", "2"], "error: --distill-temperature needs --teacher MODEL.fmj (the model to distil from)."),
            (["--distill-weight", "0.5"], "error: --distill-weight needs --teacher MODEL.fmj (the model to distil from)."),
        };
        foreach (var (args, error) in cases)
        {
            // --data names a dataset that does not exist: the teacher checks must come first.
            var run = Facemoji(["train", "--data", "no-such-data", "-o", "run/model.fmj", .. args]);
            run.ExitCode.Should().Be(1, string.Join(' ', args));
            run.Stderr.Should().StartWith(error).And.NotContain("   at ");
            run.Stderr.Trim().Split('\n').Should().HaveCount(1, "one error line");
        }

        Directory.Exists(Path.Combine(folder, "run")).Should().BeFalse("nothing is written");
        Directory.Exists(Path.Combine(folder, "cache")).Should().BeFalse("no data was loaded");
    }
}
