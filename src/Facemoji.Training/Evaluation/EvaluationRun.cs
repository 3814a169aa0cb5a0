using System.Diagnostics;
using Facemoji.Training.Calibration;
using Facemoji.Training.Data;
using Facemoji.Training.Reports;
using Facemoji.Training.Runs;

namespace Facemoji.Training.Evaluation;

/// <summary>
/// <c>facemoji evaluate</c> from request to report: loads the model and the labelled faces, predicts (with the
/// test-time views asked for), and computes the classification and calibration reports; writes the confusion
/// matrix and the reliability diagram when asked. Lines of information (what was loaded, the speed) go to <c>info</c>.
/// </summary>
public static class EvaluationRun
{
    /// <param name="describeModel">How the model file is named to the user once it has loaded (the CLI adds its hash).</param>
    /// <param name="progress">Shows loading and predicting as they go (the CLI's bars); default: nothing.</param>
    public static EvaluationResult Run(EvaluationRequest request, Action<string> info, Func<string, string>? describeModel = null, IStepProgress? progress = null)
    {
        progress ??= IStepProgress.None;
        request.Check();
        var trained = TrainedModel.Load(request.ModelPath);
        info($"model: {(describeModel ?? Path.GetFullPath)(request.ModelPath)}");
        var loaded = progress.Step("loading data", report => DatasetLoader.Load(request.Data, request.Load with { Progress = report }));
        info(loaded.Describe());
        var dataset = loaded.Splits.Get(request.Split);
        var views = request.TenCrop ? TestTimeAugmentation.TenCrop : TestTimeAugmentation.Views(request.TestTimeAugmentation);
        var clock = Stopwatch.StartNew();
        var logits = progress.Step("evaluating", report => Predictor.PredictLogits(trained.Network, dataset, trained.Normalization, views, request.BatchSize, report is null ? null : done => report(done, dataset.Count)));
        double seconds = clock.Elapsed.TotalSeconds;
        var probabilities = logits.Probabilities(trained.Temperature);
        var predicted = Predictor.ArgMax(probabilities, trained.Header.Labels.Count);
        var truth = dataset.Labels.Select(l => (int)l).ToArray();
        var report = ClassificationReport.Compute(truth, predicted, trained.Header.Labels);
        var calibration = CalibrationReport.Compute(logits, probabilities, truth, trained.Temperature);
        info($"{trained.Header.Architecture} from {request.ModelPath} on {dataset.Source}: {dataset.Count} images x {views.Count} view(s) in {seconds:F1} s ({dataset.Count * views.Count / Math.Max(seconds, 1e-9):F0} images/s)");
        if (request.ConfusionChartPath is not { } chartPath || string.Equals(chartPath, "none", StringComparison.OrdinalIgnoreCase))
        {
            return new EvaluationResult(report, calibration, null, null);
        }

        string title = $"{Path.GetFileName(request.ModelPath)} on {dataset.Source}";
        ConfusionMatrixChart.Write(report, $"{title}{(views.Count > 1 ? " (TTA)" : string.Empty)}", chartPath);
        string reliabilityPath = ReliabilityDiagramChart.PathBeside(chartPath);
        ReliabilityDiagramChart.Write(calibration, $"{title}{(views.Count > 1 ? $" ({views.Count} views)" : string.Empty)}", reliabilityPath);
        return new EvaluationResult(report, calibration, chartPath, reliabilityPath);
    }
}
