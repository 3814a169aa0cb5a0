using Facemoji.Engine;
using Facemoji.Engine.Serialization;
using Facemoji.Training.Augmentation;
using Facemoji.Training.Evaluation;
using Facemoji.Training.Runs;

namespace Facemoji.Training.Tests.Runs;

/// <summary>
/// End to end on a generated dataset with the smallest registered network: train, evaluate, resume exactly,
/// and same seed = same first-epoch loss. Batches are small and epochs short, so the whole class runs in seconds.
/// </summary>
public class TrainerTests
{
    private static readonly TrainingOptions Quick = new()
    {
        Architecture = "bench-vgg8",
        Epochs = 3,
        BatchSize = 14,
        LearningRate = 0.05,
        WarmupEpochs = 0.5,
        Seed = 11,
        EarlyStoppingPatience = 0,
    };

    private static readonly Lazy<(Facemoji.Training.Data.FerDataset Train, Facemoji.Training.Data.FerDataset Validation)> Data =
        new(() => (SyntheticFaces.Make(8, 1, "synthetic train"), SyntheticFaces.Make(3, 2, "synthetic val")));

    [Fact]
    [Trait("Category", "Slow")]
    public void Trains_saves_the_best_model_with_metrics_and_curves_then_evaluates_it()
    {
        using var temp = new TempFolder();
        var (train, validation) = Data.Value;
        var monitor = new RecordingMonitor();
        string modelPath = temp.Combine("out", "model.fmj");

        var result = new Trainer(monitor).Train(train, validation, Quick, modelPath);

        result.History.Should().HaveCount(3);
        monitor.Epochs.Should().HaveCount(3);
        monitor.Steps.Should().Be(3 * (56 / 14));
        result.History.Should().OnlyContain(r => double.IsFinite(r.TrainLoss) && r.ValidationAccuracy >= 0 && r.ValidationAccuracy <= 1 && r.LearningRate > 0);
        File.Exists(result.ModelPath).Should().BeTrue();
        File.Exists(result.CheckpointPath).Should().BeTrue();
        var curves = System.Xml.Linq.XDocument.Load(result.CurvesPath);
        curves.Root!.Name.LocalName.Should().Be("svg");
        curves.Root.Value.Should().Contain("loss").And.Contain("validation");
        File.ReadAllBytes(result.CurvesPngPath).Take(4).Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G');
        result.TrainingImagesPerSecond.Should().BeGreaterThan(0);

        var model = TrainedModel.Load(result.ModelPath);
        model.Header.Metrics["val_accuracy"].Should().Be(result.BestValidationAccuracy);
        model.Header.Metrics["epoch"].Should().Be(result.BestEpoch);
        model.Header.Metrics.Should().ContainKeys("val_macro_f1", "val_loss", "val_f1_disgust");
        model.Normalization.Should().Be(Normalization.Fer2013);

        var probabilities = Predictor.PredictProbabilities(model.Network, validation, model.Normalization, TestTimeAugmentation.Views(false), 8);
        var report = ClassificationReport.Compute(validation.Labels.Select(l => (int)l).ToArray(), Predictor.ArgMax(probabilities, 7), model.Header.Labels);
        report.Accuracy.Should().BeApproximately(result.BestValidationAccuracy, 1e-9, "the saved model is the best epoch's");
        probabilities.Take(7).Sum().Should().BeApproximately(1f, 1e-4f);

        var tta = Predictor.PredictProbabilities(model.Network, validation, model.Normalization, TestTimeAugmentation.Views(true), 8);
        tta.Should().HaveCount(probabilities.Length);
        tta.Take(7).Sum().Should().BeApproximately(1f, 1e-4f);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Resume_continues_exactly_as_the_uninterrupted_run()
    {
        using var temp = new TempFolder();
        var (train, validation) = Data.Value;
        var options = Quick with { Epochs = 2 };
        var straight = new Trainer(new RecordingMonitor()).Train(train, validation, options, temp.Combine("a", "model.fmj"));

        string interruptedPath = temp.Combine("b", "model.fmj");
        var first = new Trainer(new RecordingMonitor(), interruptAfterEpoch: 1).Train(train, validation, options, interruptedPath);
        first.History.Should().HaveCount(1);
        var otherData = () => new Trainer(new RecordingMonitor()).Resume(train, SyntheticFaces.Make(3, 99), first.CheckpointPath, interruptedPath);
        otherData.Should().Throw<FacemojiException>().WithMessage("*was trained on other data*");
        Trainer.ReadOptions(first.CheckpointPath).Should().Be(options);
        var resumed = new Trainer(new RecordingMonitor()).Resume(train, validation, first.CheckpointPath, interruptedPath);

        resumed.History.Select(r => (r.TrainLoss, r.TrainAccuracy, r.ValidationLoss, r.ValidationAccuracy, r.LearningRate))
            .Should().Equal(straight.History.Select(r => (r.TrainLoss, r.TrainAccuracy, r.ValidationLoss, r.ValidationAccuracy, r.LearningRate)));
        var a = TrainingCheckpoint.Load(straight.CheckpointPath).Model.Tensors;
        var b = TrainingCheckpoint.Load(resumed.CheckpointPath).Model.Tensors;
        b.Should().HaveCount(a.Count);
        for (int i = 0; i < a.Count; i++)
        {
            b[i].Value.Span.ToArray().Should().Equal(a[i].Value.Span.ToArray(), $"tensor {a[i].Name} must match bit for bit");
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void The_same_seed_gives_the_same_first_epoch_loss_and_another_seed_another()
    {
        using var temp = new TempFolder();
        var (train, validation) = Data.Value;
        var options = Quick with { Epochs = 1 };

        double Loss(ulong seed, string name) => new Trainer(new RecordingMonitor()).Train(train, validation, options with { Seed = seed }, temp.Combine(name, "m.fmj")).History[0].TrainLoss;

        double first = Loss(5, "a");
        Loss(5, "b").Should().Be(first);
        Loss(6, "c").Should().NotBe(first);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_time_budget_far_shorter_than_an_epoch_ends_inside_the_first()
    {
        using var temp = new TempFolder();
        var (train, validation) = Data.Value;
        var monitor = new RecordingMonitor();

        // A budget far shorter than one epoch: the plan, made from the first steps, ends the first epoch early.
        var result = new Trainer(monitor).Train(train, validation, Quick with { Epochs = 50, TimeBudget = TimeSpan.FromMilliseconds(1) }, temp.Combine("m.fmj"));

        result.PlannedEpochs.Should().Be(1);
        result.History.Should().HaveCount(1);
        monitor.Steps.Should().BeLessThan(4, "the epoch has 4 steps and the budget is 1 ms");
        monitor.Messages.Should().Contain(m => m.StartsWith("time budget"));
        monitor.Messages.Should().NotContain(m => m.Contains("1 epochs"));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_time_budget_is_kept_within_three_percent_and_planned_from_the_first_steps()
    {
        using var temp = new TempFolder();
        var (train, validation) = Data.Value;
        var monitor = new RecordingMonitor();
        var budget = TimeSpan.FromSeconds(20);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Thread.Sleep(500); // time spent before training (loading data) counts against the budget

        var result = new Trainer(monitor) { BudgetClock = clock }.Train(train, validation, Quick with { Epochs = 100_000, BatchSize = 4, TimeBudget = budget }, temp.Combine("m.fmj"));
        double seconds = clock.Elapsed.TotalSeconds;

        seconds.Should().BeInRange(budget.TotalSeconds * 0.97, budget.TotalSeconds * 1.03, "the run ends within 3% of its budget");
        result.History.Count.Should().BeGreaterThan(5);
        result.PlannedEpochs.Should().BeInRange(result.History.Count, result.History.Count + 1);
        int planAt = monitor.Messages.FindIndex(m => m.StartsWith("time budget") && m.Contains("are planned"));
        planAt.Should().BeGreaterThanOrEqualTo(0);
        monitor.StepsAtFirstPlan.Should().BeLessThan(14, "the plan comes from the first steps, before the first epoch (14 steps) ends");
        monitor.LastElapsed.Should().NotBeNull();
        monitor.LastRemaining.Should().NotBeNull("progress shows an ETA");
    }

    [Fact]
    public void Bad_settings_and_a_missing_checkpoint_are_clear_errors()
    {
        var (train, validation) = Data.Value;
        var trainer = new Trainer(new RecordingMonitor());

        ((Action)(() => trainer.Train(train, validation, Quick with { Architecture = "nope" }, "x.fmj"))).Should().Throw<FacemojiException>().WithMessage("Unknown architecture 'nope'*");
        ((Action)(() => trainer.Train(train, validation, Quick with { BatchSize = 1 }, "x.fmj"))).Should().Throw<FacemojiException>();
        ((Action)(() => trainer.Resume(train, validation, "/no/such.fmjckpt", "x.fmj"))).Should().Throw<FacemojiException>().WithMessage("/no/such.fmjckpt: no such checkpoint*");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_run_with_an_initial_model_starts_from_its_weights()
    {
        using var temp = new TempFolder();
        var (train, validation) = Data.Value;
        var first = new Trainer(new RecordingMonitor()).Train(train, validation, Quick with { Epochs = 2 }, temp.Combine("a", "model.fmj"));
        var firstModel = TrainedModel.Load(first.ModelPath);
        var firstAccuracy = Accuracy(firstModel.Network, validation);

        // A learning rate too small to move the weights: the second run's model is the first's, whatever its own seed.
        var tiny = Quick with { Epochs = 1, LearningRate = 1e-12, WarmupEpochs = 0, Seed = 99, InitialModel = first.ModelPath, Augmentation = AugmentationOptions.None };
        var monitor = new RecordingMonitor();
        var continued = new Trainer(monitor).Train(train, validation, tiny, temp.Combine("b", "model.fmj"));
        var fresh = new Trainer(new RecordingMonitor()).Train(train, validation, tiny with { InitialModel = null }, temp.Combine("c", "model.fmj"));

        monitor.Messages.Should().Contain(m => m.StartsWith("starting from the weights of"));
        var continuedModel = TrainedModel.Load(continued.ModelPath);
        Accuracy(continuedModel.Network, validation).Should().Be(firstAccuracy);
        string name = firstModel.Network.NamedParameters().First().Name;
        float[] before = firstModel.Network.NamedParameters().First().Parameter.Value.Span.ToArray();
        float[] after = continuedModel.Network.NamedParameters().First(p => p.Name == name).Parameter.Value.Span.ToArray();
        after.Zip(before, (a, b) => Math.Abs(a - b)).Max().Should().BeLessThan(1e-6f);
        float[] seeded = TrainedModel.Load(fresh.ModelPath).Network.NamedParameters().First(p => p.Name == name).Parameter.Value.Span.ToArray();
        seeded.Zip(before, (a, b) => Math.Abs(a - b)).Max().Should().BeGreaterThan(1e-3f, "a run without --init starts from its seeded weights");

        static double Accuracy(Facemoji.Engine.Modules.Module network, Facemoji.Training.Data.FerDataset data)
        {
            var probabilities = Predictor.PredictProbabilities(network, data, Normalization.Fer2013, TestTimeAugmentation.Views(false), 8);
            var predicted = Predictor.ArgMax(probabilities, 7);
            return predicted.Zip(data.Labels, (p, l) => p == (int)l ? 1.0 : 0.0).Average();
        }
    }

    [Fact]
    public void A_missing_or_foreign_initial_model_is_refused_before_any_data()
    {
        using var temp = new TempFolder();
        var missing = () => Trainer.CheckSettings(Quick with { InitialModel = temp.Combine("none.fmj") });
        missing.Should().Throw<FacemojiException>().WithMessage("--init *none.fmj: no such model file.");

        string notAModel = temp.Combine("text.fmj");
        File.WriteAllText(notAModel, "hello");
        var foreign = () => Trainer.CheckSettings(Quick with { InitialModel = notAModel });
        foreign.Should().Throw<FacemojiException>().WithMessage("*text.fmj*");

        var otherArchitecture = () => Trainer.CheckSettings(Quick with { Architecture = "vgg12", InitialModel = RepositoryFiles.PathOf("models", "facemoji.fmj") });
        otherArchitecture.Should().Throw<FacemojiException>().WithMessage("--init *holds a bench-vgg8 network, not the vgg12 this run trains (pass --arch bench-vgg8).");
    }

    [Theory]
    [InlineData(0, 32, 0.01, "--epochs")]
    [InlineData(3, 1, 0.01, "--batch-size")]
    [InlineData(3, 32, -1.0, "--lr")]
    [InlineData(3, 32, double.NaN, "--lr")]
    [InlineData(3, 32, double.PositiveInfinity, "--lr")]
    public void Bad_settings_are_refused_without_any_data(int epochs, int batch, double lr, string option)
    {
        // Issue 14: the command now checks these before loading the dataset.
        var check = () => Trainer.CheckSettings(Quick with { Epochs = epochs, BatchSize = batch, LearningRate = lr });
        check.Should().Throw<FacemojiException>().WithMessage($"{option} must be*");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_second_run_on_the_same_output_fails_clearly_and_leaves_the_first_runs_files()
    {
        // Issue 14: two runs on one --out left a model from one run and a checkpoint from the other.
        using var temp = new TempFolder();
        var (train, validation) = Data.Value;
        string modelPath = temp.Combine("m.fmj");
        Directory.CreateDirectory(Path.GetDirectoryName(modelPath)!);
        using (new FileStream(modelPath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var second = () => new Trainer(new RecordingMonitor()).Train(train, validation, Quick with { Epochs = 1 }, modelPath);
            second.Should().Throw<FacemojiException>().WithMessage("*another training run is writing this model*");
            File.Exists(modelPath).Should().BeFalse();
        }

        new Trainer(new RecordingMonitor()).Train(train, validation, Quick with { Epochs = 1 }, modelPath).ModelPath.Should().Be(modelPath);
        File.Exists(modelPath + ".lock").Should().BeFalse("the lock goes with the run");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Early_stopping_ends_a_run_that_stops_improving()
    {
        using var temp = new TempFolder();
        var (train, validation) = Data.Value;
        var monitor = new RecordingMonitor();

        // A learning rate of ~0 cannot keep improving the validation accuracy for long.
        var result = new Trainer(monitor).Train(train, validation, Quick with { Epochs = 8, LearningRate = 1e-12, BatchSize = 56, EarlyStoppingPatience = 1 }, temp.Combine("m.fmj"));

        result.StoppedEarly.Should().BeTrue();
        result.History.Count.Should().BeLessThan(8);
        monitor.Messages.Should().Contain(m => m.StartsWith("early stop"));
    }

    [Theory]
    [InlineData("90m", 5400)]
    [InlineData("1h30m", 5400)]
    [InlineData("45s", 45)]
    [InlineData("1.5h", 5400)]
    [InlineData("01:30:00", 5400)]
    public void Durations_parse_as_people_write_them(string text, double seconds) =>
        DurationText.Parse(text).TotalSeconds.Should().Be(seconds);

    [Fact]
    public void A_bad_duration_says_how_to_write_one()
    {
        ((Action)(() => DurationText.Parse("soon"))).Should().Throw<FacemojiException>().WithMessage("'soon' is not a duration*90m*");
        ((Action)(() => DurationText.Parse("0s"))).Should().Throw<FacemojiException>().WithMessage("'0s' is no time at all; give a duration above 0*");
        ((Action)(() => DurationText.Parse("00:00:00"))).Should().Throw<FacemojiException>().WithMessage("'00:00:00' is no time at all*");
        // Was an internal error: TimeSpan overflowed.
        ((Action)(() => DurationText.Parse("99999999999999999h"))).Should().Throw<FacemojiException>().WithMessage("'99999999999999999h' is more than 365 days*");
        DurationText.Parse("8760h").Should().Be(TimeSpan.FromDays(365));
    }

    [Fact]
    public void Class_weights_favour_rare_classes_and_average_one_over_the_images()
    {
        int[] counts = [3995, 436, 4097, 7215, 4830, 3171, 4965];

        var weights = ClassWeights.Compute(counts, ClassBalance.SqrtInverse)!;

        weights[1].Should().BeGreaterThan(weights[3] * 4 - 0.01f).And.BeLessThan(weights[3] * 4.1f);
        counts.Select((n, c) => n * (double)weights[c]).Sum().Should().BeApproximately(counts.Sum(), 1);
        ClassWeights.Compute(counts, ClassBalance.None).Should().BeNull();
        var inverse = ClassWeights.Compute(counts, ClassBalance.Inverse)!;
        (counts[1] * inverse[1]).Should().BeApproximately(counts[3] * inverse[3], 0.01f);
    }
}
