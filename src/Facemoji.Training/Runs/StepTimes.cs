namespace Facemoji.Training.Runs;

/// <summary>
/// The times a time budget is planned and kept with, over one session of a run: optimizer steps (the first
/// pays for warm-up and is not counted) and epoch ends (validation, saving). Plans use the session's means;
/// the deadline check and the ETA use the latest figures. A plan made from a moving average of the last few
/// steps followed every burst of load from another program: a minute of compilation beside a 68-minute run cut
/// its plan from 38 epochs to 16, and the next quiet epoch stretched it back, so the cosine learning rate fell
/// and rose again (0.0089 → 0.0055 → 0.0084 in three epochs). The mean moves by the burst's share of the session.
/// The mean alone ends a run early when its steps got faster (slow first steps, or load that went away): a
/// 20-second budget ended at 19.16 s beside another run. So the last plans, in the budget's final stretch,
/// take the recent time when it is the shorter: a speed-up fills the budget, a late burst of load still cannot
/// cut the plan (the deadline check ends the run in time), and the learning rate it moves is near its end.
/// </summary>
internal sealed class StepTimes
{
    private int seen;
    private double stepTotal;
    private double endTotal;
    private int ends;

    /// <summary>Steps timed in this session (the first is not).</summary>
    public int Count { get; private set; }

    /// <summary>Seconds of the timed steps together.</summary>
    public double TotalSeconds => stepTotal;

    /// <summary>The mean of the timed steps, for plans; 0 before any.</summary>
    public double MeanSeconds => Count > 0 ? stepTotal / Count : 0;

    /// <summary>The mean of the first 20 timed steps, then a moving average (weight 0.1) that follows the machine's load now: the deadline check and the ETA.</summary>
    public double RecentSeconds { get; private set; }

    /// <summary>
    /// The step time a plan is made with: the session's mean, or in the budget's final stretch the recent time
    /// when it is the shorter (and more than the first 20 steps are timed).
    /// </summary>
    public double PlanSeconds(bool finalStretch) =>
        finalStretch && Count > 20 ? Math.Min(MeanSeconds, RecentSeconds) : MeanSeconds;

    /// <summary>The mean epoch end of this session, for plans; null before the first.</summary>
    public double? MeanEpochEndSeconds => ends > 0 ? endTotal / ends : null;

    /// <summary>The latest epoch end, for the deadline check; null before the first.</summary>
    public double? LastEpochEndSeconds { get; private set; }

    /// <summary>Counts one step's seconds; false for the session's first step, which is not timed.</summary>
    public bool AddStep(double seconds)
    {
        if (seen++ == 0)
        {
            return false;
        }

        Count++;
        stepTotal += seconds;
        RecentSeconds = Count <= 20 ? stepTotal / Count : (0.9 * RecentSeconds) + (0.1 * seconds);
        return true;
    }

    /// <summary>An epoch of one step gives no timed step: its whole time is all there is to plan from.</summary>
    public void AssumeStep(double seconds)
    {
        Count = 1;
        stepTotal = seconds;
        RecentSeconds = seconds;
    }

    public void AddEpochEnd(double seconds)
    {
        ends++;
        endTotal += seconds;
        LastEpochEndSeconds = seconds;
    }
}
