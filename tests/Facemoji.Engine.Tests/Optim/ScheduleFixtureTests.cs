using Facemoji.Engine.Optim;
using Facemoji.Engine.Tests.Fixtures;
using Xunit.Abstractions;

namespace Facemoji.Engine.Tests.Optim;

/// <summary>The learning-rate schedule against torch.optim.lr_scheduler (tools/make_optim_fixtures.py).</summary>
public sealed class ScheduleFixtureTests(ITestOutputHelper output)
{
    private readonly FixtureFile fixture = FixtureFile.Load("optim_schedules.fix");

    [Fact]
    public void CosineWithWarmupMatchesPyTorchLambda() =>
        Compare("cosine.lr", new CosineWarmupSchedule(0.1, warmupSteps: 5, totalSteps: 30, minLearningRate: 1e-3).LearningRateAt);

    [Fact]
    public void CosineHoldsItsFinalValuePastTheEnd() =>
        new CosineWarmupSchedule(0.1, 5, 30, 1e-3).LearningRateAt(1000).Should().Be(1e-3);

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
