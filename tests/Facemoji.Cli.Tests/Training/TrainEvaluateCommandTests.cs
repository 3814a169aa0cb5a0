using System.Text;
using System.Text.Json;

namespace Facemoji.Cli.Tests.Training;

/// <summary>
/// <c>facemoji train</c> and <c>facemoji evaluate</c> end to end on a generated CSV (never the shared data):
/// train, evaluate as a table and as JSON, resume, same seed = same first-epoch loss, and clear errors.
/// </summary>
public sealed class TrainEvaluateCommandTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "facemoji-cli-train-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string> environment;

    public TrainEvaluateCommandTests()
    {
        Directory.CreateDirectory(folder);
        environment = new() { ["FACEMOJI_CACHE_DIR"] = Path.Combine(folder, "cache") };
        File.WriteAllText(Path.Combine(folder, "faces.csv"), SyntheticCsv(trainPerClass: 6, valPerClass: 2));
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
    public void Train_then_evaluate_as_table_and_json_then_resume()
    {
        var train = Facemoji("train", "--data", "faces.csv", "--epochs", "2", "--batch-size", "14", "--out", "run/model.fmj", "--seed", "3");

        train.ExitCode.Should().Be(0, train.Stderr);
        train.Stdout.Should().Contain("loaded 56 images (train 42, val 14)").And.Contain("epoch 1/2: loss").And.Contain("epoch 2/2: loss");
        File.Exists(Path.Combine(folder, "run", "model.fmj")).Should().BeTrue();
        File.Exists(Path.Combine(folder, "run", "model.fmjckpt")).Should().BeTrue();
        File.Exists(Path.Combine(folder, "run", "model.curves.svg")).Should().BeTrue();

        var table = Facemoji("evaluate", "--data", "faces.csv", "--split", "val", "--model", "run/model.fmj", "--tta", "--svg", "run/confusion.svg");
        table.ExitCode.Should().Be(0, table.Stderr);
        table.Stdout.Should().Contain("macro-F1").And.Contain("disgust").And.Contain("6 view(s)");
        var chart = System.Xml.Linq.XDocument.Load(Path.Combine(folder, "run", "confusion.svg"));
        chart.Root!.Name.LocalName.Should().Be("svg");
        chart.Root.Value.Should().Contain("disgust").And.Contain("(TTA)", "the chart names the labels and the views");
        File.Exists(Path.Combine(folder, "run", "reliability.svg")).Should().BeTrue();

        var json = Facemoji("evaluate", "--data", "faces.csv", "--split", "val", "--model", "run/model.fmj", "--json", "--svg", "none");
        json.ExitCode.Should().Be(0, json.Stderr);
        using (var doc = JsonDocument.Parse(json.Stdout))
        {
            var root = doc.RootElement;
            root.GetProperty("accuracy").GetDouble().Should().BeInRange(0, 1);
            root.GetProperty("macro_f1").GetDouble().Should().BeInRange(0, 1);
            root.GetProperty("n").GetInt32().Should().Be(14);
            root.GetProperty("labels").GetArrayLength().Should().Be(7);
            root.GetProperty("per_class").GetProperty("happy").GetProperty("support").GetInt32().Should().Be(2);
            root.GetProperty("confusion").GetArrayLength().Should().Be(7);
        }

        var resumed = Facemoji("train", "--data", "faces.csv", "--resume", "run/model.fmjckpt", "--out", "run/model.fmj");
        resumed.ExitCode.Should().Be(0, resumed.Stderr);
        resumed.Stdout.Should().Contain("resuming").And.Contain("after epoch 2").And.Contain("of 2 epochs run");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Two_runs_with_the_same_seed_print_the_same_first_epoch_loss()
    {
        string FirstEpoch(string output)
        {
            var result = Facemoji("train", "--data", "faces.csv", "--epochs", "1", "--batch-size", "14", "--out", output, "--seed", "9");
            result.ExitCode.Should().Be(0, result.Stderr);
            return result.Stdout.Split('\n').Single(l => l.StartsWith("epoch 1/1:")).Split('|')[0];
        }

        FirstEpoch("a/m.fmj").Should().Be(FirstEpoch("b/m.fmj"));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Bad_input_is_one_clear_error_line_and_exit_code_1()
    {
        var missing = Facemoji("train", "--data", "no-such.csv", "--out", "x.fmj");
        missing.ExitCode.Should().Be(1);
        missing.Stderr.Trim().Should().Be("error: no-such.csv: no such file or folder (expected a FER2013 CSV, a folder of class folders, or a dataset root with train/ and test/).");

        File.WriteAllText(Path.Combine(folder, "bad.csv"), "emotion,pixels\n9,1 2 3\n");
        var bad = Facemoji("evaluate", "--data", "bad.csv", "--model", "no-model.fmj");
        bad.ExitCode.Should().Be(1);
        bad.Stderr.Should().StartWith("error: no-model.fmj: no such model file");

        var arch = Facemoji("train", "--data", "bad.csv", "--arch", "huge", "--out", "x.fmj");
        arch.ExitCode.Should().Be(1);
        arch.Stderr.Should().StartWith("error: --arch: 'huge' is not one of bench-vgg8");

        var row = Facemoji("train", "--data", "bad.csv", "--out", "x.fmj");
        row.ExitCode.Should().Be(1);
        row.Stderr.Should().StartWith("error: bad.csv line 2: unknown emotion code '9'");
        row.Stderr.Should().NotContain("   at ");
    }

    /// <summary>Class c: a bright block at a class-specific place (not mirror-symmetric between classes) on noise.</summary>
    internal static string SyntheticCsv(int trainPerClass, int valPerClass)
    {
        var random = new Random(4);
        var text = new StringBuilder("emotion,pixels,Usage\n");
        foreach (var (usage, perClass) in new[] { ("Training", trainPerClass), ("PublicTest", valPerClass) })
        {
            for (int i = 0; i < perClass * 7; i++)
            {
                int label = i % 7;
                var pixels = new int[48 * 48];
                for (int p = 0; p < pixels.Length; p++)
                {
                    pixels[p] = random.Next(20, 90);
                }

                for (int y = label * 6; y < label * 6 + 6; y++)
                {
                    for (int x = 0; x < 48; x++)
                    {
                        pixels[y * 48 + x] = random.Next(190, 250);
                    }
                }

                text.Append(label).Append(',').Append(string.Join(' ', pixels)).Append(',').Append(usage).Append('\n');
            }
        }

        return text.ToString();
    }
}
