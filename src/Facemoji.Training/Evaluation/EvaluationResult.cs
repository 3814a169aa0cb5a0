using System.Text.Json.Nodes;
using Facemoji.Training.Calibration;

namespace Facemoji.Training.Evaluation;

/// <summary>What <see cref="EvaluationRun"/> measured, and the chart files it wrote (null when none were asked for).</summary>
public sealed record EvaluationResult(ClassificationReport Report, CalibrationReport Calibration, string? ConfusionChartPath, string? ReliabilityChartPath)
{
    /// <summary>The one JSON object of <c>facemoji evaluate --json</c>: accuracy, macro_f1, n, labels, per_class, confusion, ece, nll, temperature.</summary>
    public JsonObject ToJson()
    {
        var json = Report.ToJson();
        Calibration.AddTo(json);
        return json;
    }
}
