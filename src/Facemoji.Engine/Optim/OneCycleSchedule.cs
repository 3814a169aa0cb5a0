namespace Facemoji.Engine.Optim;

/// <summary>
/// torch.optim.lr_scheduler.OneCycleLR with cosine annealing, two phases: from maxLr/divFactor up to maxLr over
/// the first pctStart of the steps, then down to maxLr/(divFactor·finalDivFactor) at the last step. Momentum
/// (or Adam's β1) cycles the other way, between <c>maxMomentum</c> and <c>baseMomentum</c>. PyTorch refuses steps
/// past the total; here they stay at the final value.
/// </summary>
public sealed class OneCycleSchedule : ILearningRateSchedule
{
    private readonly double phaseOneEnd;

    public OneCycleSchedule(double maxLearningRate, long totalSteps, double pctStart = 0.3, double divFactor = 25, double finalDivFactor = 1e4, double baseMomentum = 0.85, double maxMomentum = 0.95)
    {
        if (!(maxLearningRate > 0 && double.IsFinite(maxLearningRate)))
        {
            throw new ArgumentOutOfRangeException(nameof(maxLearningRate), maxLearningRate, "The largest learning rate must be finite and above zero.");
        }

        if (totalSteps < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "A one-cycle schedule needs at least two steps.");
        }

        if (!(pctStart > 0 && pctStart < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, "pctStart must be in (0, 1).");
        }

        if (!(divFactor > 0) || !(finalDivFactor > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(divFactor), "The division factors must be above zero.");
        }

        MaxLearningRate = maxLearningRate;
        TotalSteps = totalSteps;
        InitialLearningRate = maxLearningRate / divFactor;
        FinalLearningRate = InitialLearningRate / finalDivFactor;
        BaseMomentum = baseMomentum;
        MaxMomentum = maxMomentum;
        phaseOneEnd = pctStart * totalSteps - 1;
        if (!(phaseOneEnd > 0 && phaseOneEnd < totalSteps - 1))
        {
            throw new ArgumentOutOfRangeException(nameof(pctStart), $"pctStart {pctStart} of {totalSteps} steps leaves a phase empty.");
        }
    }

    public double MaxLearningRate { get; }

    public double InitialLearningRate { get; }

    public double FinalLearningRate { get; }

    public long TotalSteps { get; }

    public double BaseMomentum { get; }

    public double MaxMomentum { get; }

    public double LearningRateAt(long step)
    {
        var (phase, pct) = Locate(step);
        return phase == 0
            ? Anneal(InitialLearningRate, MaxLearningRate, pct)
            : Anneal(MaxLearningRate, FinalLearningRate, pct);
    }

    public double MomentumAt(long step)
    {
        var (phase, pct) = Locate(step);
        return phase == 0
            ? Anneal(MaxMomentum, BaseMomentum, pct)
            : Anneal(BaseMomentum, MaxMomentum, pct);
    }

    private (int Phase, double Pct) Locate(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        double s = Math.Min(step, TotalSteps - 1);
        return s <= phaseOneEnd
            ? (0, s / phaseOneEnd)
            : (1, (s - phaseOneEnd) / (TotalSteps - 1 - phaseOneEnd));
    }

    // PyTorch's _annealing_cos, written the same way so that the rounding matches.
    private static double Anneal(double start, double end, double pct)
    {
        double cosOut = Math.Cos(Math.PI * pct) + 1;
        return end + (start - end) / 2.0 * cosOut;
    }
}
