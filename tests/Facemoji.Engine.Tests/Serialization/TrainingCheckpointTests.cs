using Facemoji.Engine.Optim;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Serialization;
using Facemoji.Engine.Tests.Optim;

namespace Facemoji.Engine.Tests.Serialization;

public sealed class TrainingCheckpointTests : IDisposable
{
    private const int TotalSteps = 14;
    private const int StopAfter = 6;
    private static readonly double[] Metrics = [1.0, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.7, 0.7, 0.7, 0.7, 0.7];
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("sgd")]
    [InlineData("adamw")]
    public void SaveLoadContinueIsBitIdenticalToAnUninterruptedRun(string algorithm)
    {
        var uninterrupted = new Run(algorithm, modelSeed: 7);
        for (int step = 0; step < TotalSteps; step++)
        {
            uninterrupted.Step(step);
        }


        var first = new Run(algorithm, modelSeed: 7);
        for (int step = 0; step < StopAfter; step++)
        {
            first.Step(step);
        }

        string path = folder.Combine("run" + TrainingCheckpoint.Extension);
        TrainingCheckpoint.Save(path, first.Model, SampleFiles.Header(), first.Optimizer, first.Progress(StopAfter));

        // A new process: everything rebuilt from other seeds, then restored from the file alone.
        var checkpoint = TrainingCheckpoint.Load(path);
        var resumed = new Run(algorithm, modelSeed: 999);
        checkpoint.Restore(resumed.Model, resumed.Optimizer);
        resumed.Best = checkpoint.Progress.BestMetric!.Value;
        resumed.Data = SeededRandom.FromState(checkpoint.Progress.RandomStates["data"]);
        checkpoint.Progress.Step.Should().Be(StopAfter);
        checkpoint.Progress.Epoch.Should().Be(StopAfter);
        checkpoint.Progress.BestMetric.Should().Be(first.Best);
        checkpoint.Progress.TrainerJson.Should().Be("{\"history\":[1,2,3]}");
        for (int step = (int)checkpoint.Progress.Step; step < TotalSteps; step++)
        {
            resumed.Step(step);
        }

        AssertSameState(uninterrupted, resumed);

        // The control: resuming without the optimizer state must NOT match, or this test could not fail.
        var careless = new Run(algorithm, modelSeed: 999);
        TrainingCheckpoint.Load(path).Model.LoadInto(careless.Model);
        careless.Best = checkpoint.Progress.BestMetric!.Value;
        careless.Data = SeededRandom.FromState(checkpoint.Progress.RandomStates["data"]);
        for (int step = StopAfter; step < TotalSteps; step++)
        {
            careless.Step(step);
        }

        careless.Model.Weight.Value.Span.ToArray().Should().NotEqual(uninterrupted.Model.Weight.Value.Span.ToArray());
    }

    [Fact]
    public void FreshStateAndAnInfiniteBestMetricRoundTrip()
    {
        var run = new Run("adamw", 1);
        string path = folder.Combine("fresh.fmjckpt");
        TrainingCheckpoint.Save(path, run.Model, SampleFiles.Header(), run.Optimizer, new TrainingProgress());
        var loaded = TrainingCheckpoint.Load(path);
        loaded.Progress.BestMetric.Should().BeNull();
        loaded.Progress.Step.Should().Be(0);
        loaded.Optimizer.StepCount.Should().Be(0);

        TrainingCheckpoint.Save(path, run.Model, SampleFiles.Header(), run.Optimizer, new TrainingProgress { BestMetric = double.PositiveInfinity });
        TrainingCheckpoint.Load(path).Progress.BestMetric.Should().Be(double.PositiveInfinity);
    }

    [Fact]
    public void ModelFilesAndCheckpointsAreNotMistakenForEachOther()
    {
        var run = new Run("sgd", 1);
        string checkpointPath = folder.Combine("a.fmjckpt");
        string modelPath = folder.Combine("b.fmj");
        TrainingCheckpoint.Save(checkpointPath, run.Model, SampleFiles.Header(), run.Optimizer, run.Progress(0));
        ModelFile.Save(modelPath, run.Model, SampleFiles.Header());

        FluentActions.Invoking(() => ModelFile.Read(checkpointPath)).Should().Throw<ModelFileException>()
            .WithMessage("*a.fmjckpt: is a training checkpoint, not a model file.");
        FluentActions.Invoking(() => TrainingCheckpoint.Load(modelPath)).Should().Throw<ModelFileException>()
            .WithMessage("*b.fmj: is a model file, not a training checkpoint.");
    }

    [Fact]
    public void RestoreIntoAnotherRunChangesNothing()
    {
        var run = new Run("adamw", 1);
        run.Step(0);
        string path = folder.Combine("c.fmjckpt");
        TrainingCheckpoint.Save(path, run.Model, SampleFiles.Header(), run.Optimizer, run.Progress(1));
        var checkpoint = TrainingCheckpoint.Load(path);

        var sgdRun = new Run("sgd", 2);
        float weight = sgdRun.Model.Weight.Value.Data[0];
        FluentActions.Invoking(() => checkpoint.Restore(sgdRun.Model, sgdRun.Optimizer)).Should().Throw<ModelFileException>()
            .WithMessage("*c.fmjckpt: does not fit this run's optimizer: *adamw*sgd*");
        sgdRun.Model.Weight.Value.Data[0].Should().Be(weight);

        var widerModel = new TinyRegression(6, 3, new SeededRandom(3));
        var widerOptimizer = new AdamW(widerModel.Parameters());
        FluentActions.Invoking(() => checkpoint.Restore(widerModel, widerOptimizer)).Should().Throw<FacemojiException>();
        widerOptimizer.StepCount.Should().Be(0, "a failed restore leaves the optimizer as it was");
    }

    private static void AssertSameState(Run expected, Run actual)
    {
        foreach (var ((name, a), (_, b)) in expected.Model.NamedParameters().Zip(actual.Model.NamedParameters()))
        {
            b.Value.Span.ToArray().Should().Equal(a.Value.Span.ToArray(), $"parameter {name} must match bit for bit");
        }

        foreach (var ((name, a), (_, b)) in expected.Model.NamedBuffers().Zip(actual.Model.NamedBuffers()))
        {
            b.Span.ToArray().Should().Equal(a.Span.ToArray(), $"buffer {name} must match bit for bit");
        }

        var expectedState = expected.Optimizer.SaveState();
        var actualState = actual.Optimizer.SaveState();
        actualState.StepCount.Should().Be(expectedState.StepCount);
        actualState.LearningRate.Should().Be(expectedState.LearningRate);
        foreach (var (a, b) in expectedState.Buffers.Zip(actualState.Buffers))
        {
            b.Value.Span.ToArray().Should().Equal(a.Value.Span.ToArray(), $"optimizer buffer {a.Name}");
        }

        actual.Best.Should().Be(expected.Best);
        actual.Data.SaveState().Should().Equal(expected.Data.SaveState());
    }

    /// <summary>A whole tiny training run: model, optimizer, warm-up and cosine schedule, data generator, best metric.</summary>
    private sealed class Run
    {
        public Run(string algorithm, ulong modelSeed)
        {
            Model = new TinyRegression(5, 3, new SeededRandom(modelSeed));
            Optimizer = algorithm == "sgd"
                ? new Sgd(Model.Parameters(), 0.02, momentum: 0.9, weightDecay: 1e-4, nesterov: true)
                : new AdamW(Model.Parameters(), 0.02, weightDecay: 0.05);
            Data = new SeededRandom(11);
        }

        public TinyRegression Model { get; }

        public Optimizer Optimizer { get; }

        /// <summary>The schedule is a function of the step alone: resuming needs only the step number.</summary>
        public CosineWarmupSchedule Schedule { get; } = new(0.02, warmupSteps: 3, totalSteps: TotalSteps, minLearningRate: 0.002);

        public double Best { get; set; } = double.PositiveInfinity;

        public SeededRandom Data { get; set; }

        public void Step(int step)
        {
            TinyTraining.Step(Model, Optimizer, Data, Schedule.LearningRateAt(step));
            Best = Math.Min(Best, Metrics[step]);
        }

        public TrainingProgress Progress(int stepsDone) => new()
        {
            Epoch = stepsDone,
            Step = stepsDone,
            BestMetric = stepsDone > 0 ? Best : null,
            RandomStates = new Dictionary<string, ulong[]> { ["data"] = Data.SaveState() },
            TrainerJson = "{\"history\":[1,2,3]}",
        };
    }
}
