using Facemoji.Training.Calibration;

namespace Facemoji.Training.Runs;

/// <summary>
/// What <see cref="TrainingRun"/> did: the run itself, the temperature fitted on held-out images (null when no
/// images were held out of train), where the validation images came from, and the whole command's time.
/// </summary>
public sealed record TrainingRunResult(TrainingResult Training, ModelCalibrator.Result? Calibration, string ValidationDescription, TimeSpan Elapsed);
