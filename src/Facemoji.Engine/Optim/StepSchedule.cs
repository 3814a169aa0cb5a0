namespace Facemoji.Engine.Optim;

/// <summary>
/// torch.optim.lr_scheduler.StepLR: the rate is multiplied by <c>gamma</c> every <c>stepSize</c> steps. The
/// multiplications are repeated one by one, as PyTorch's chained form does, rather than taken as a power, so
/// that the values match PyTorch's to the last bit.
/// </summary>
public sealed class StepSchedule : ILearningRateSchedule
{
    public StepSchedule(double baseLearningRate, long stepSize, double gamma = 0.1)
    {
        if (!(baseLearningRate > 0 && double.IsFinite(baseLearningRate)))
        {
            throw new ArgumentOutOfRangeException(nameof(baseLearningRate), baseLearningRate, "The learning rate must be finite and above zero.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        if (!(gamma > 0 && gamma <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be in (0, 1].");
        }

        BaseLearningRate = baseLearningRate;
        StepSize = stepSize;
        Gamma = gamma;
    }

    public double BaseLearningRate { get; }

    public long StepSize { get; }

    public double Gamma { get; }

    public double LearningRateAt(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        long decays = step / StepSize;
        double lr = BaseLearningRate;
        for (long k = 0; k < decays && lr > 0; k++)
        {
            lr *= Gamma;
        }

        return lr;
    }
}
