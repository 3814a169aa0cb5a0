namespace Facemoji.Engine.Optim;

/// <summary>
/// Linear warm-up from 0 to the peak over <c>warmupSteps</c>, then a half cosine down to <c>minLearningRate</c> at
/// <c>totalSteps</c> (the shape of Hugging Face's get_cosine_schedule_with_warmup, with a floor). Steps past the
/// end stay at the floor.
/// </summary>
public sealed class CosineWarmupSchedule
{
    public CosineWarmupSchedule(double peakLearningRate, long warmupSteps, long totalSteps, double minLearningRate = 0)
    {
        if (!(peakLearningRate > 0 && double.IsFinite(peakLearningRate)))
        {
            throw new ArgumentOutOfRangeException(nameof(peakLearningRate), peakLearningRate, "The peak learning rate must be finite and above zero.");
        }

        if (warmupSteps < 0 || totalSteps <= 0 || warmupSteps > totalSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(warmupSteps), $"Need 0 <= warmupSteps ({warmupSteps}) <= totalSteps ({totalSteps}) and totalSteps > 0.");
        }

        if (!(minLearningRate >= 0 && minLearningRate <= peakLearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, "The floor must be in [0, peak].");
        }

        PeakLearningRate = peakLearningRate;
        WarmupSteps = warmupSteps;
        TotalSteps = totalSteps;
        MinLearningRate = minLearningRate;
    }

    public double PeakLearningRate { get; }

    public long WarmupSteps { get; }

    public long TotalSteps { get; }

    public double MinLearningRate { get; }

    public double LearningRateAt(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < WarmupSteps)
        {
            return PeakLearningRate * step / WarmupSteps;
        }

        double progress = Math.Min(1.0, (double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps));
        return MinLearningRate + (PeakLearningRate - MinLearningRate) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
