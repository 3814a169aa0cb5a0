using System.Diagnostics;
using Facemoji.Training.Calibration;
using Facemoji.Training.Data;

namespace Facemoji.Training.Runs;

/// <summary>
/// <c>facemoji train</c> from request to files: checks the request, loads the data (what was loaded and skipped
/// goes to the monitor), cuts the training, validation and calibration sets, trains (or resumes a checkpoint),
/// and fits the temperature on images the model never trained on. A time budget covers all of it.
/// </summary>
public static class TrainingRun
{
    public static TrainingRunResult Run(TrainingRequest request, ITrainingMonitor monitor)
    {
        // The budget is the whole command's: loading the data counts against it.
        var clock = Stopwatch.StartNew();
        request.Check();
        // A resumed run continues with its saved settings; its seed also picks the same held-out validation images.
        var options = request.ResumeFrom is { } checkpoint ? Trainer.ReadOptions(checkpoint) : request.Options;
        DatasetSplits Load(string path)
        {
            var loaded = monitor.Step($"loading {Path.GetFileName(Path.TrimEndingDirectorySeparator(path))}", progress => DatasetLoader.Load(path, request.Load with { Progress = progress }));
            monitor.Message(loaded.Describe());
            foreach (var example in loaded.Skipped.Examples)
            {
                monitor.Message($"  skipped: {example}");
            }

            return loaded.Splits;
        }

        var selection = TrainingDataSelection.Select(Load(request.Data), request.Validation, options.Seed, Load);
        var (train, validation, calibration) = Cut(request, selection, options.Seed);
        monitor.Message($"train: {train.Describe()}");
        monitor.Message($"validation ({selection.ValidationDescription}): {validation.Describe()}");
        var trainer = new Trainer(monitor) { BudgetClock = clock };
        var result = monitor.Live(() => request.ResumeFrom is not null
            ? trainer.Resume(train, validation, request.ResumeFrom, request.ModelPath)
            : trainer.Train(train, validation, options, request.ModelPath));
        ModelCalibrator.Result? fitted = null;
        if (calibration is not null)
        {
            fitted = ModelCalibrator.Fit(result.ModelPath, calibration);
            ModelCalibrator.Write(fitted, result.ModelPath);
        }

        return new TrainingRunResult(result, fitted, selection.ValidationDescription, clock.Elapsed);
    }

    /// <summary>--limit-per-class, --subset and --calibration-holdout applied to the selected sets.</summary>
    private static (FerDataset Train, FerDataset Validation, FerDataset? Calibration) Cut(TrainingRequest request, TrainingDataSelection.Selection selection, ulong seed)
    {
        var train = selection.Train;
        var validation = selection.Validation;
        if (request.LimitPerClass is { } limit)
        {
            train = train.TakePerClass(limit, $"{train.Source} (at most {limit} per class)");
            validation = validation.TakePerClass(limit, $"{validation.Source} (at most {limit} per class)");
        }

        if (request.Subset is { } fraction and < 1)
        {
            train = StratifiedSplit.Split(train, fraction, seed).HeldOut;
            validation = StratifiedSplit.Split(validation, fraction, seed).HeldOut;
        }

        // Calibration images must be ones the model never trains on: the held-out validation slice, or a slice of its own.
        FerDataset? calibration = selection.ValidationHeldOutOfTrain ? validation : null;
        if (request.CalibrationHoldout > 0)
        {
            (train, calibration) = StratifiedSplit.Split(train, request.CalibrationHoldout, seed);
        }

        return (train, validation, calibration);
    }
}
