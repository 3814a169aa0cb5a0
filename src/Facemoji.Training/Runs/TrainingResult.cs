namespace Facemoji.Training.Runs;

/// <summary>What a finished run produced: the history, the best epoch by validation accuracy, the files, the speed.</summary>
public sealed record TrainingResult(
    IReadOnlyList<EpochRecord> History,
    int BestEpoch,
    double BestValidationAccuracy,
    string ModelPath,
    string CheckpointPath,
    string CurvesPath,
    double TrainingImagesPerSecond,
    bool StoppedEarly,
    int PlannedEpochs)
{
    /// <summary>The curves as PNG, beside the SVG.</summary>
    public string CurvesPngPath => PngBeside(CurvesPath);

    internal static string PngBeside(string curvesPath) => Path.ChangeExtension(curvesPath, ".png");
}
