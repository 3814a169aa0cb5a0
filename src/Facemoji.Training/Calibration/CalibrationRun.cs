using Facemoji.Engine.Serialization;
using Facemoji.Training.Data;

namespace Facemoji.Training.Calibration;

/// <summary>
/// <c>facemoji calibrate</c>: fits the temperature of a model on a stratified slice of its training data and
/// writes it into the model file (or a copy). Warns when the model trained on every image of that split, since the
/// slice was then seen in training.
/// </summary>
public static class CalibrationRun
{
    /// <returns>The fit, and the file it was written to.</returns>
    public static (ModelCalibrator.Result Fit, string WrittenTo) Run(CalibrationRequest request, Action<string> info, Action<string> warn)
    {
        request.Check();
        var header = ModelFile.Read(request.ModelPath).Header;
        var loaded = DatasetLoader.Load(request.Data, request.Load);
        info(loaded.Describe());
        var trainSplit = loaded.Splits.IsSingleSplit ? loaded.Splits.Get(DatasetSplits.All) : loaded.Splits.Get(DatasetSplits.Train);
        if (ModelCalibrator.TrainedOnWholeSplit(header, trainSplit.Count))
        {
            warn($"{request.ModelPath} was trained on all {trainSplit.Count} images of {trainSplit.Source}, so the calibration slice was seen in training and the fitted temperature will make it over-confident on new faces; check with facemoji evaluate before shipping it, and train with --calibration-holdout or --val train next time.");
        }

        var slice = ModelCalibrator.TrainValidationSlice(loaded.Splits, request.Fraction, request.Seed ?? ModelCalibrator.TrainingSeed(header));
        var result = ModelCalibrator.Fit(request.ModelPath, slice, request.BatchSize);
        string target = request.OutputPath ?? request.ModelPath;
        ModelCalibrator.Write(result, target);
        return (result, target);
    }
}
