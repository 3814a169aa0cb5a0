using Facemoji.Engine.Optim;
using Facemoji.Engine.Tests.Fixtures;
using Xunit.Abstractions;

namespace Facemoji.Engine.Tests.Optim;

/// <summary>Learning-rate sequences against torch.optim.lr_scheduler (tools/make_optim_fixtures.py).</summary>
public sealed class ScheduleFixtureTests(ITestOutputHelper output)
{
    private readonly FixtureFile fixture = FixtureFile.Load("optim_schedules.fix");

    [Fact]
    public void CosineWithWarmupMatchesPyTorchLambda() =>
        Compare("cosine.lr", new CosineWarmupSchedule(0.1, warmupSteps: 5, totalSteps: 30, minLearningRate: 1e-3).LearningRateAt);

    [Fact]
    public void OneCycleMatchesPyTorch()
    {
        var schedule = new OneCycleSchedule(0.1, totalSteps: 25);
        Compare("onecycle.lr", schedule.LearningRateAt);
        Compare("onecycle.momentum", schedule.MomentumAt);
    }

    [Fact]
    public void StepMatchesPyTorch() => Compare("steplr.lr", new StepSchedule(0.1, stepSize: 4, gamma: 0.1).LearningRateAt);

    [Fact]
    public void PlateauMinMatchesPyTorch()
    {
        var plateau = new ReduceLearningRateOnPlateau(0.1, PlateauMode.Min, factor: 0.5, patience: 2, threshold: 1e-4, cooldown: 1, minLearningRate: 1e-3);
        ComparePlateau("plateau_min", plateau);
    }

    [Fact]
    public void PlateauMaxMatchesPyTorch()
    {
        var plateau = new ReduceLearningRateOnPlateau(0.1, PlateauMode.Max, factor: 0.3, patience: 1, threshold: 1e-3, cooldown: 0, minLearningRate: 5e-3);
        ComparePlateau("plateau_max", plateau);
    }

    [Fact]
    public void PlateauResumesFromSavedState()
    {
        double[] metrics = fixture.Values("plateau_min.metric");
        ReduceLearningRateOnPlateau Make() => new(0.1, PlateauMode.Min, factor: 0.5, patience: 2, threshold: 1e-4, cooldown: 1, minLearningRate: 1e-3);
        var uninterrupted = Make();
        var first = Make();
        for (int i = 0; i < 11; i++)
        {
            uninterrupted.Step(metrics[i]);
            first.Step(metrics[i]);
        }

        var resumed = Make();
        resumed.Restore(first.SaveState());
        for (int i = 11; i < metrics.Length; i++)
        {
            resumed.Step(metrics[i]).Should().Be(uninterrupted.Step(metrics[i]));
            resumed.SaveState().Should().Be(uninterrupted.SaveState());
        }
    }

    [Fact]
    public void OneCycleAndCosineHoldTheirFinalValuePastTheEnd()
    {
        var oneCycle = new OneCycleSchedule(0.1, totalSteps: 25);
        oneCycle.LearningRateAt(1000).Should().Be(oneCycle.LearningRateAt(24));
        new CosineWarmupSchedule(0.1, 5, 30, 1e-3).LearningRateAt(1000).Should().Be(1e-3);
    }

    private void ComparePlateau(string name, ReduceLearningRateOnPlateau plateau)
    {
        double[] metrics = fixture.Values($"{name}.metric");
        double[] expected = fixture.Values($"{name}.lr");
        double worst = 0;
        for (int i = 0; i < metrics.Length; i++)
        {
            double lr = plateau.Step(metrics[i]);
            worst = Math.Max(worst, Math.Abs(lr - expected[i]));
            lr.Should().BeApproximately(expected[i], 1e-15, $"after metric {i} ({metrics[i]})");
        }

        output.WriteLine($"{name}: {metrics.Length} epochs, largest |C# - PyTorch| = {worst:E3}");
    }

    private void Compare(string name, Func<long, double> schedule)
    {
        double[] expected = fixture.Values(name);
        double worst = 0;
        for (int step = 0; step < expected.Length; step++)
        {
            double actual = schedule(step);
            worst = Math.Max(worst, Math.Abs(actual - expected[step]));
            actual.Should().BeApproximately(expected[step], 1e-12 * Math.Max(1e-3, Math.Abs(expected[step])), $"{name} at step {step}");
        }

        output.WriteLine($"{name}: {expected.Length} steps, largest |C# - PyTorch| = {worst:E3}");
    }
}
