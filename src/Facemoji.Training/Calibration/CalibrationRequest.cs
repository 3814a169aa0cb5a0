using Facemoji.Engine;
using Facemoji.Training.Data;
using Facemoji.Training.Runs;

namespace Facemoji.Training.Calibration;

/// <summary>What <c>facemoji calibrate</c> was asked for; <see cref="Check"/> refuses bad values before the data is read.</summary>
public sealed record CalibrationRequest
{
    public required string ModelPath { get; init; }

    /// <summary>The training data the model came from.</summary>
    public required string Data { get; init; }

    /// <summary>The stratified fraction of train to fit on, in (0, 1).</summary>
    public double Fraction { get; init; } = TrainingDataSelection.DefaultHeldOutFraction;

    /// <summary>Seed of the stratified slice; null: the model's training seed, so the slice is its held-out one.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Where to write the calibrated model; null rewrites <see cref="ModelPath"/> in place.</summary>
    public string? OutputPath { get; init; }

    public int BatchSize { get; init; } = 256;

    public DatasetLoadOptions Load { get; init; } = new();

    public void Check()
    {
        if (BatchSize is < 1 or > TrainingOptions.MaxBatchSize)
        {
            throw new FacemojiException($"--batch-size must be 1 to {TrainingOptions.MaxBatchSize}, not {BatchSize}.");
        }

        if (Fraction is not (> 0 and < 1))
        {
            throw new FacemojiException($"--fraction must be between 0 and 1, not {Fraction}.");
        }

        if (!File.Exists(ModelPath))
        {
            throw new FacemojiException($"{ModelPath}: no such model file.");
        }
    }
}
