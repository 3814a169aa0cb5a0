using Facemoji.Engine;
using Facemoji.Training.Data;
using Facemoji.Training.Reports;
using Facemoji.Training.Runs;

namespace Facemoji.Training.Evaluation;

/// <summary>What <c>facemoji evaluate</c> was asked for; <see cref="Check"/> refuses bad values before anything is read.</summary>
public sealed record EvaluationRequest
{
    public required string ModelPath { get; init; }

    /// <summary>--data: labelled faces (a FER2013 CSV, a folder of class folders, or a dataset root).</summary>
    public required string Data { get; init; }

    /// <summary>test, val, train or all; a source without splits is used whole.</summary>
    public string Split { get; init; } = DatasetSplits.Test;

    /// <summary>--tta: the image, its mirror and four shifted crops.</summary>
    public bool TestTimeAugmentation { get; init; }

    /// <summary>--ten-crop: the centre and four corner crops, each also mirrored.</summary>
    public bool TenCrop { get; init; }

    public int BatchSize { get; init; } = 256;

    /// <summary>Where to write the confusion matrix, .png or .svg (the reliability diagram goes beside it); null or "none": neither.</summary>
    public string? ConfusionChartPath { get; init; }

    public DatasetLoadOptions Load { get; init; } = new();

    public void Check()
    {
        if (TestTimeAugmentation && TenCrop)
        {
            throw new FacemojiException("--tta and --ten-crop are two sets of views; give one.");
        }

        if (BatchSize is < 1 or > TrainingOptions.MaxBatchSize)
        {
            throw new FacemojiException($"--batch-size must be 1 to {TrainingOptions.MaxBatchSize}, not {BatchSize}.");
        }

        if (DatasetSplits.Canonicalize(Split) is null)
        {
            throw new FacemojiException($"--split: unknown split '{Split}'; use test, val, train or all.");
        }

        if (ConfusionChartPath is { } chartPath && !string.Equals(chartPath, "none", StringComparison.OrdinalIgnoreCase))
        {
            ChartFile.CheckName(chartPath, "-o"); // before the work, so a bad name wastes none
        }
    }
}
