namespace Facemoji.Engine.Optim;

/// <summary>
/// torch.optim.lr_scheduler.ReduceLROnPlateau: after more than <c>patience</c> epochs without an improvement of
/// the metric (beyond the threshold), the rate is multiplied by <c>factor</c> (not below <c>minLearningRate</c>,
/// and not at all when the change would be under <c>eps</c>), then <c>cooldown</c> epochs pass before bad epochs
/// count again. A NaN metric counts as a bad epoch, as in PyTorch.
/// </summary>
public sealed class ReduceLearningRateOnPlateau
{
    public ReduceLearningRateOnPlateau(
        double initialLearningRate,
        PlateauMode mode = PlateauMode.Min,
        double factor = 0.1,
        int patience = 10,
        double threshold = 1e-4,
        PlateauThresholdMode thresholdMode = PlateauThresholdMode.Relative,
        int cooldown = 0,
        double minLearningRate = 0,
        double eps = 1e-8)
    {
        if (!(initialLearningRate > 0 && double.IsFinite(initialLearningRate)))
        {
            throw new ArgumentOutOfRangeException(nameof(initialLearningRate), initialLearningRate, "The learning rate must be finite and above zero.");
        }

        if (!(factor > 0 && factor < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The reduction factor must be in (0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
        if (!(threshold >= 0) || !(minLearningRate >= 0) || !(eps >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), "threshold, minLearningRate and eps must not be negative.");
        }

        Mode = mode;
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        ThresholdMode = thresholdMode;
        Cooldown = cooldown;
        MinLearningRate = minLearningRate;
        Eps = eps;
        LearningRate = initialLearningRate;
        Best = mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity;
    }

    public PlateauMode Mode { get; }

    public double Factor { get; }

    public int Patience { get; }

    public double Threshold { get; }

    public PlateauThresholdMode ThresholdMode { get; }

    public int Cooldown { get; }

    public double MinLearningRate { get; }

    public double Eps { get; }

    public double LearningRate { get; private set; }

    /// <summary>The best metric seen so far (±infinity before the first).</summary>
    public double Best { get; private set; }

    public int BadEpochs { get; private set; }

    public int CooldownCounter { get; private set; }

    public long Epochs { get; private set; }

    /// <summary>Takes the metric of the epoch just finished and returns the learning rate for the next one.</summary>
    public double Step(double metric)
    {
        Epochs++;
        if (IsBetter(metric, Best))
        {
            Best = metric;
            BadEpochs = 0;
        }
        else
        {
            BadEpochs++;
        }

        if (CooldownCounter > 0)
        {
            CooldownCounter--;
            BadEpochs = 0;
        }

        if (BadEpochs > Patience)
        {
            double reduced = Math.Max(LearningRate * Factor, MinLearningRate);
            if (LearningRate - reduced > Eps)
            {
                LearningRate = reduced;
            }

            CooldownCounter = Cooldown;
            BadEpochs = 0;
        }

        return LearningRate;
    }

    public PlateauState SaveState() => new(LearningRate, Best, BadEpochs, CooldownCounter, Epochs);

    public void Restore(PlateauState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!(state.LearningRate >= 0 && double.IsFinite(state.LearningRate)) || state.BadEpochs < 0 || state.CooldownCounter < 0 || state.Epochs < 0 || double.IsNaN(state.Best))
        {
            throw new FacemojiException($"The saved plateau schedule state is invalid: {state}.");
        }

        (LearningRate, Best, BadEpochs, CooldownCounter, Epochs) = (state.LearningRate, state.Best, state.BadEpochs, state.CooldownCounter, state.Epochs);
    }

    private bool IsBetter(double value, double best) => (Mode, ThresholdMode) switch
    {
        (PlateauMode.Min, PlateauThresholdMode.Relative) => value < best * (1.0 - Threshold),
        (PlateauMode.Min, PlateauThresholdMode.Absolute) => value < best - Threshold,
        (PlateauMode.Max, PlateauThresholdMode.Relative) => value > best * (Threshold + 1.0),
        _ => value > best + Threshold,
    };
}
