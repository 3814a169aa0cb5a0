using System.Text.Json;
using Facemoji.Cli.Tests.Training;

namespace Facemoji.Cli.Tests.Commands;

/// <summary>
/// Calibration end to end on a generated CSV: train fits a temperature when its validation images are held out
/// of train, <c>calibrate</c> fits one for an existing file, <c>evaluate</c> reports ECE and NLL and draws the
/// reliability diagram, and <c>model show</c> prints, exports and draws a model file; bad files are clear errors.
/// </summary>
public sealed class CalibrateModelCommandTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "facemoji-cli-calibrate-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string> environment;

    public CalibrateModelCommandTests()
    {
        Directory.CreateDirectory(folder);
        environment = new() { ["FACEMOJI_CACHE_DIR"] = Path.Combine(folder, "cache") };
        File.WriteAllText(Path.Combine(folder, "faces.csv"), TrainEvaluateCommandTests.SyntheticCsv(trainPerClass: 8, valPerClass: 2));
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

    private static JsonElement Json(CliRun.Result result)
    {
        result.ExitCode.Should().Be(0, result.Stderr);
        using var doc = JsonDocument.Parse(result.Stdout);
        return doc.RootElement.Clone();
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Train_with_a_held_out_validation_slice_calibrates_and_evaluate_reports_it()
    {
        var train = Facemoji("train", "--data", "faces.csv", "--val", "train", "--epochs", "1", "--batch-size", "14", "--out", "run/model.fmj", "--no-augment");
        train.ExitCode.Should().Be(0, train.Stderr);
        train.Stdout.Should().Contain("calibration: temperature ").And.Contain("fitted on 7 images");

        var shown = Json(Facemoji("model", "show", "run/model.fmj", "--json"));
        shown.GetProperty("calibrated").GetBoolean().Should().BeTrue();
        double temperature = shown.GetProperty("temperature").GetDouble();
        temperature.Should().BeInRange(0.05, 20).And.NotBe(1);
        shown.GetProperty("metrics").GetProperty("calibration_n").GetDouble().Should().Be(7);

        var evaluated = Json(Facemoji("evaluate", "--data", "faces.csv", "--split", "val", "--model", "run/model.fmj", "--json", "--svg", "run/confusion-val.svg"));
        evaluated.GetProperty("temperature").GetDouble().Should().Be(temperature);
        evaluated.GetProperty("ece").GetDouble().Should().BeInRange(0, 1);
        evaluated.GetProperty("nll").GetDouble().Should().BePositive();
        evaluated.GetProperty("uncalibrated").GetProperty("ece").GetDouble().Should().BeInRange(0, 1);
        var diagram = System.Xml.Linq.XDocument.Load(Path.Combine(folder, "run", "reliability-val.svg"));
        diagram.Root!.Name.LocalName.Should().Be("svg");
        diagram.Root.Value.Should().Contain("ECE");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Calibrate_writes_a_temperature_into_an_uncalibrated_file_and_model_show_reports_it()
    {
        var train = Facemoji("train", "--data", "faces.csv", "--epochs", "1", "--batch-size", "14", "--out", "run/model.fmj", "--no-augment");
        train.ExitCode.Should().Be(0, train.Stderr);
        train.Stdout.Should().Contain("calibration: none");
        Json(Facemoji("model", "show", "run/model.fmj", "--json")).GetProperty("calibrated").GetBoolean().Should().BeFalse();
        var before = Json(Facemoji("evaluate", "--data", "faces.csv", "--split", "val", "--model", "run/model.fmj", "--json", "--svg", "none"));
        before.GetProperty("temperature").GetDouble().Should().Be(1);

        var calibrate = Facemoji("calibrate", "run/model.fmj", "--data", "faces.csv", "--fraction", "0.25");
        calibrate.ExitCode.Should().Be(0, calibrate.Stderr);
        calibrate.Stdout.Should().Contain("temperature ").And.Contain("fitted on 14 images").And.Contain("written: run/model.fmj");
        calibrate.Stderr.Should().Contain("warning: run/model.fmj was trained on all 56 images");

        var after = Json(Facemoji("evaluate", "--data", "faces.csv", "--split", "val", "--model", "run/model.fmj", "--json", "--svg", "none"));
        after.GetProperty("temperature").GetDouble().Should().NotBe(1);
        after.GetProperty("accuracy").GetDouble().Should().Be(before.GetProperty("accuracy").GetDouble(), "a temperature never changes the arg-max of one view");
        after.GetProperty("uncalibrated").GetProperty("nll").GetDouble().Should().BeApproximately(before.GetProperty("nll").GetDouble(), 1e-9);

        var text = Facemoji("model", "show", "run/model.fmj", "--diagram", "run/model.svg");
        text.ExitCode.Should().Be(0, text.Stderr);
        text.Stdout.Should().Contain("bench-vgg8").And.Contain("1,174,439").And.Contain("117,450,496").And.Contain("temperature: ").And.Contain("0 angry").And.Contain("seed: 1");
        File.ReadAllText(Path.Combine(folder, "run", "model.svg")).Should().StartWith("<svg").And.Contain("1,174,439 parameters").And.Contain("softmax(logits / ");

        var tenCrop = Facemoji("evaluate", "--data", "faces.csv", "--split", "val", "--model", "run/model.fmj", "--ten-crop", "--svg", "none");
        tenCrop.ExitCode.Should().Be(0, tenCrop.Stderr);
        tenCrop.Stdout.Should().Contain("10 view(s)").And.Contain("calibration: ECE");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Model_show_lists_every_layer_with_shapes_parameters_and_multiply_adds()
    {
        Facemoji("train", "--data", "faces.csv", "--epochs", "1", "--batch-size", "14", "--out", "m.fmj", "--no-augment").ExitCode.Should().Be(0);

        var json = Json(Facemoji("model", "show", "m.fmj", "--json"));

        var layers = json.GetProperty("layers").EnumerateArray().ToList();
        layers.Should().HaveCount(14, "8 conv blocks, 3 pools, global pool, dropout, linear");
        layers[0].GetProperty("output_shape").EnumerateArray().Select(e => e.GetInt32()).Should().Equal(32, 48, 48);
        layers[0].GetProperty("multiply_adds").GetInt64().Should().Be(32L * 48 * 48 * 9);
        layers[^1].GetProperty("output_shape").EnumerateArray().Select(e => e.GetInt32()).Should().Equal(7);
        layers[^1].GetProperty("parameters").GetInt64().Should().Be(256 * 7 + 7);
        json.GetProperty("parameters").GetInt64().Should().Be(1_174_439);
        json.GetProperty("multiply_adds").GetInt64().Should().BeInRange(117_400_000, 117_600_000, "the model card's 117.5 M");
        json.GetProperty("labels").GetArrayLength().Should().Be(7);
        json.GetProperty("preprocessing").GetProperty("crop_policy").GetString().Should().Be("face-box-1.02");
        json.GetProperty("training_info").GetProperty("seed").GetString().Should().Be("1");

        // --diagram m.fmj wrote the SVG over the model it draws.
        byte[] model = File.ReadAllBytes(Path.Combine(folder, "m.fmj"));
        var over = Facemoji("model", "show", "m.fmj", "--diagram", "m.fmj");
        over.ExitCode.Should().Be(1, over.Stderr);
        over.Stderr.Should().Contain("--diagram m.fmj: the diagram is an SVG file; name it .svg.");
        File.ReadAllBytes(Path.Combine(folder, "m.fmj")).Should().Equal(model);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Train_takes_the_options_for_the_next_run_and_refuses_bad_values()
    {
        var run = Facemoji("train", "--data", "faces.csv", "--epochs", "1", "--batch-size", "14", "--out", "next/model.fmj",
            "--augment", "webcam", "--sampler", "balanced", "--mixup", "0.4", "--cutmix", "1", "--calibration-holdout", "0.25");
        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().Contain("train: 42 images").And.Contain("calibration: temperature ").And.Contain("fitted on 14 images");
        var options = Json(Facemoji("model", "show", "next/model.fmj", "--json")).GetProperty("training_info").GetProperty("options").GetString();
        options.Should().Contain("\"Sampling\":1").And.Contain("\"MixupAlpha\":0.4").And.Contain("\"CutMixAlpha\":1").And.Contain("\"JpegProbability\":0.3");

        var badMixup = Facemoji("train", "--data", "faces.csv", "--epochs", "1", "--mixup", "-1");
        badMixup.ExitCode.Should().Be(1);
        badMixup.Stderr.Should().StartWith("error: --mixup must be an alpha in [0, 100]");
        var badHoldout = Facemoji("train", "--data", "faces.csv", "--epochs", "1", "--calibration-holdout", "1.5");
        badHoldout.ExitCode.Should().Be(1);
        badHoldout.Stderr.Should().StartWith("error: --calibration-holdout must be a fraction in [0, 1)");
        var badSampler = Facemoji("train", "--data", "faces.csv", "--sampler", "uniform");
        badSampler.ExitCode.Should().NotBe(0);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Corrupt_foreign_and_missing_files_are_one_clear_error()
    {
        File.WriteAllText(Path.Combine(folder, "notes.fmj"), "these are not weights");
        var foreign = Facemoji("model", "show", "notes.fmj");
        foreign.ExitCode.Should().Be(1);
        foreign.Stderr.Should().StartWith("error: notes.fmj: ").And.NotContain("   at ");

        Facemoji("train", "--data", "faces.csv", "--epochs", "1", "--batch-size", "14", "--out", "m.fmj", "--no-augment").ExitCode.Should().Be(0);
        var bytes = File.ReadAllBytes(Path.Combine(folder, "m.fmj"));
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(Path.Combine(folder, "damaged.fmj"), bytes);
        var damaged = Facemoji("model", "show", "damaged.fmj");
        damaged.ExitCode.Should().Be(1);
        damaged.Stderr.Should().StartWith("error: damaged.fmj: ").And.NotContain("   at ");

        var checkpoint = Facemoji("model", "show", "m.fmjckpt");
        checkpoint.ExitCode.Should().Be(1);
        checkpoint.Stderr.Should().Contain("training checkpoint").And.Contain("not a model file");

        var missing = Facemoji("calibrate", "nothing.fmj", "--data", "faces.csv");
        missing.ExitCode.Should().Be(1);
        missing.Stderr.Should().StartWith("error: nothing.fmj: no such model file");

        var bothViews = Facemoji("evaluate", "--data", "faces.csv", "--model", "m.fmj", "--tta", "--ten-crop");
        bothViews.ExitCode.Should().Be(1);
        bothViews.Stderr.Should().Contain("--tta and --ten-crop");
        Directory.GetFiles(folder, "*.tmp").Should().BeEmpty();
    }
}
