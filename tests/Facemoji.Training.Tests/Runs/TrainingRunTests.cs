using Facemoji.Engine;
using Facemoji.Training.Data;
using Facemoji.Training.Runs;
using Facemoji.Training.Tests.Data;

namespace Facemoji.Training.Tests.Runs;

/// <summary>
/// <c>facemoji train</c>'s rules, in the library: a bad value is refused (naming the option) before any data is read,
/// and a run cuts the sets as asked, trains, and calibrates only on images held out of training.
/// </summary>
public sealed class TrainingRunTests
{
    private static TrainingRequest Request(string data, string model) => new()
    {
        Data = data,
        ModelPath = model,
        Options = new TrainingOptions { Architecture = "bench-vgg8", Epochs = 1, BatchSize = 7, WarmupEpochs = 0, EarlyStoppingPatience = 0, Augmentation = Facemoji.Training.Augmentation.AugmentationOptions.None },
        Load = new DatasetLoadOptions { UseCache = false },
    };

    public static TheoryData<string, Func<TrainingRequest, TrainingRequest>> BadRequests => new()
    {
        { "--mixup", r => r with { Options = r.Options with { MixupAlpha = -1 } } },
        { "--cutmix", r => r with { Options = r.Options with { CutMixAlpha = 101 } } },
        { "--limit-per-class", r => r with { LimitPerClass = 0 } },
        { "--subset", r => r with { Subset = 1.5 } },
        { "--subset", r => r with { Subset = 0 } },
        { "--calibration-holdout", r => r with { CalibrationHoldout = 1 } },
        { "--calibration-holdout", r => r with { CalibrationHoldout = -0.1 } },
        { "no-such-net", r => r with { Options = r.Options with { Architecture = "no-such-net" } } },
        { "--epochs", r => r with { Options = r.Options with { Epochs = 0 } } },
        { "--batch-size must be 2 to 4096, not 5000", r => r with { Options = r.Options with { BatchSize = 5000 } } },
        { "--label-smoothing must be in [0, 1], not 2", r => r with { Options = r.Options with { LabelSmoothing = 2 } } },
        { "--label-smoothing", r => r with { Options = r.Options with { LabelSmoothing = float.NaN } } },
        { "--patience must be 0 (no early stopping) or more, not -1", r => r with { Options = r.Options with { EarlyStoppingPatience = -1 } } },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void A_bad_value_is_refused_naming_it_before_the_data_is_read(string named, Func<TrainingRequest, TrainingRequest> spoil)
    {
        // The data path does not exist: a check that came after loading would fail on it instead.
        var request = spoil(Request("/no/such/faces.csv", Path.Combine(Path.GetTempPath(), "never-written.fmj")));
        var act = () => TrainingRun.Run(request, new RecordingMonitor());
        act.Should().Throw<FacemojiException>().WithMessage($"*{named}*").Which.Message.Should().NotContain("/no/such");
    }

    [Fact]
    public void Good_values_pass_the_check()
    {
        var request = Request("faces.csv", "m.fmj") with { LimitPerClass = 1, Subset = 1, CalibrationHoldout = 0.5 };
        request.Invoking(r => r.Check()).Should().NotThrow();
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_run_cuts_the_sets_trains_and_calibrates_on_a_held_out_slice()
    {
        using var temp = new TempFolder();
        var rows = Enumerable.Range(0, 7 * 6).Select(i => (i % 7, (string?)(i < 7 * 4 ? "Training" : "PublicTest")));
        File.WriteAllText(temp.Combine("faces.csv"), TinyCsv.Build(rows));
        var monitor = new RecordingMonitor();

        var run = TrainingRun.Run(Request(temp.Combine("faces.csv"), temp.Combine("model.fmj")) with { LimitPerClass = 3, CalibrationHoldout = 0.34 }, monitor);

        monitor.Messages.Should().Contain(m => m.StartsWith("loaded 42 images", StringComparison.Ordinal));
        run.Calibration.Should().NotBeNull();
        int calibration = run.Calibration!.Images;
        calibration.Should().BeInRange(7, 14, "about a third of 3 per class, every class kept");
        monitor.Messages.Should().Contain(m => m.StartsWith($"train: {21 - calibration} images: angry {3 - (calibration / 7)},", StringComparison.Ordinal), "3 per class, the calibration slice taken out of them");
        run.Training.History.Should().HaveCount(1);
        File.Exists(run.Training.ModelPath).Should().BeTrue();
        run.Elapsed.Should().BePositive();
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Without_a_held_out_slice_nothing_is_calibrated()
    {
        using var temp = new TempFolder();
        var rows = Enumerable.Range(0, 7 * 4).Select(i => (i % 7, (string?)(i < 7 * 2 ? "Training" : "PublicTest")));
        File.WriteAllText(temp.Combine("faces.csv"), TinyCsv.Build(rows));

        var run = TrainingRun.Run(Request(temp.Combine("faces.csv"), temp.Combine("model.fmj")), new RecordingMonitor());

        run.Calibration.Should().BeNull("the validation set is the data's val split, not held out of train");
        run.ValidationDescription.Should().Contain("val");
    }
}
