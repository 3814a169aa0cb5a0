using Facemoji.Training.Runs;

namespace Facemoji.Training.Tests.Runs;

/// <summary>The time budget's measurements: plans from the session's means, the deadline and the ETA from the latest times.</summary>
public sealed class StepTimesTests
{
    [Fact]
    public void The_first_step_is_warm_up_and_not_counted()
    {
        var times = new StepTimes();

        times.AddStep(5.0).Should().BeFalse();
        times.AddStep(0.1).Should().BeTrue();
        times.AddStep(0.3).Should().BeTrue();

        times.Count.Should().Be(2);
        times.TotalSeconds.Should().BeApproximately(0.4, 1e-12);
        times.MeanSeconds.Should().BeApproximately(0.2, 1e-12);
        times.RecentSeconds.Should().BeApproximately(0.2, 1e-12, "the first 20 steps are averaged");
    }

    [Fact]
    public void A_burst_of_slow_steps_moves_the_plans_mean_by_its_share_and_the_recent_time_at_once()
    {
        var times = new StepTimes();
        times.AddStep(1.0);
        for (int i = 0; i < 2000; i++)
        {
            times.AddStep(0.2);
        }

        for (int i = 0; i < 30; i++)
        {
            times.AddStep(0.5); // another program took a core for about 15 seconds
        }

        times.MeanSeconds.Should().BeApproximately(((2000 * 0.2) + (30 * 0.5)) / 2030, 1e-9, "a plan moves by the burst's share of the session");
        times.MeanSeconds.Should().BeLessThan(0.21);
        times.RecentSeconds.Should().BeGreaterThan(0.45, "the deadline check and the ETA follow the load now");
    }

    [Fact]
    public void Epoch_ends_are_averaged_for_plans_and_the_latest_kept_for_the_deadline()
    {
        var times = new StepTimes();
        times.MeanEpochEndSeconds.Should().BeNull();
        times.LastEpochEndSeconds.Should().BeNull();

        times.AddEpochEnd(4);
        times.AddEpochEnd(4);
        times.AddEpochEnd(10);

        times.MeanEpochEndSeconds.Should().BeApproximately(6, 1e-12);
        times.LastEpochEndSeconds.Should().Be(10);
    }

    [Fact]
    public void An_epoch_of_one_step_is_planned_from_its_whole_time()
    {
        var times = new StepTimes();
        times.AddStep(0.7).Should().BeFalse();

        times.AssumeStep(0.7);

        times.Count.Should().Be(1);
        times.MeanSeconds.Should().Be(0.7);
        times.RecentSeconds.Should().Be(0.7);
    }

    [Fact]
    public void The_final_stretch_plans_with_the_recent_time_only_when_the_steps_got_faster()
    {
        var faster = new StepTimes();
        faster.AddStep(1.0);
        for (int i = 0; i < 100; i++)
        {
            faster.AddStep(0.4); // slow first steps: another run shared the cores
        }

        for (int i = 0; i < 100; i++)
        {
            faster.AddStep(0.2);
        }

        faster.PlanSeconds(finalStretch: false).Should().BeApproximately(0.3, 1e-9, "plans before the final stretch keep the session's mean");
        faster.PlanSeconds(finalStretch: true).Should().BeApproximately(0.2, 1e-4, "the last plans fill the budget at the speed the steps run now");

        var slower = new StepTimes();
        slower.AddStep(1.0);
        for (int i = 0; i < 100; i++)
        {
            slower.AddStep(0.2);
        }

        for (int i = 0; i < 100; i++)
        {
            slower.AddStep(0.4);
        }

        slower.PlanSeconds(finalStretch: true).Should().BeApproximately(0.3, 1e-9, "a late burst of load does not cut the plan; the deadline check keeps the budget");
    }
}
