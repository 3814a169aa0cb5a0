using Facemoji.Engine;
using Facemoji.Training.Data;

namespace Facemoji.Training.Runs;

/// <summary>
/// Everything <c>facemoji train</c> was asked for: the data and how to load and cut it, the run's settings (or a
/// checkpoint to resume with its saved settings), the model file, and the calibration hold-out.
/// <see cref="Check"/> refuses bad values before any data is loaded.
/// </summary>
public sealed record TrainingRequest
{
    /// <summary>--data: a FER2013 CSV, a folder of class folders, or a dataset root with train/ and test/.</summary>
    public required string Data { get; init; }

    /// <summary>--val: a split of the data, another dataset, or null (see <see cref="TrainingDataSelection"/>).</summary>
    public string? Validation { get; init; }

    public TrainingOptions Options { get; init; } = new();

    /// <summary>A checkpoint to continue from exactly, with its saved settings (then <see cref="Options"/> is not used).</summary>
    public string? ResumeFrom { get; init; }

    public required string ModelPath { get; init; }

    public DatasetLoadOptions Load { get; init; } = new();

    /// <summary>Use at most this many images per class of each split (quick experiments).</summary>
    public int? LimitPerClass { get; init; }

    /// <summary>Use a stratified fraction in (0, 1] of each split, keeping the class mix.</summary>
    public double? Subset { get; init; }

    /// <summary>Hold this stratified fraction of train out of training to fit the temperature on (0: none).</summary>
    public double CalibrationHoldout { get; init; }

    /// <summary>Throws a <see cref="FacemojiException"/> that names the option and the value when one is out of range.</summary>
    public void Check()
    {
        if (Options.MixupAlpha is < 0 or > 100 or double.NaN)
        {
            throw new FacemojiException($"--mixup must be an alpha in [0, 100], not {Options.MixupAlpha}.");
        }

        if (Options.CutMixAlpha is < 0 or > 100 or double.NaN)
        {
            throw new FacemojiException($"--cutmix must be an alpha in [0, 100], not {Options.CutMixAlpha}.");
        }

        if (LimitPerClass is < 1)
        {
            throw new FacemojiException($"--limit-per-class must be at least 1, not {LimitPerClass}.");
        }

        if (Subset is { } fraction && (fraction is <= 0 or > 1 || double.IsNaN(fraction)))
        {
            throw new FacemojiException($"--subset must be a fraction in (0, 1], not {fraction}.");
        }

        if (CalibrationHoldout is < 0 or >= 1 or double.NaN)
        {
            throw new FacemojiException($"--calibration-holdout must be a fraction in [0, 1), not {CalibrationHoldout}.");
        }

        if (ResumeFrom is null)
        {
            _ = Facemoji.Engine.Networks.Architectures.Describe(Options.Architecture); // an unknown name fails before the data is loaded
            Trainer.CheckSettings(Options); // so do --epochs 0, --batch-size 1, --lr -1 and a bad --teacher
            Trainer.CheckOutputs(Options, ModelPath);
        }
    }
}
