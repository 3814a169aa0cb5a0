using System.Text.Json.Nodes;
using Facemoji.Expressions;

namespace Facemoji.Training.Calibration;

/// <summary>
/// How well a model's shown probabilities match how often it is right, on labelled images: ECE (15 bins),
/// NLL and the reliability bins at the model's temperature, and the same at T = 1 when the model is calibrated.
/// </summary>
public sealed class CalibrationReport
{
    private CalibrationReport(double temperature, IReadOnlyList<CalibrationMetrics.ReliabilityBin> bins, double nll, double uncalibratedEce, double uncalibratedNll, IReadOnlyList<IntensityBand> intensity)
    {
        Intensity = intensity;
        Temperature = temperature;
        Bins = bins;
        Ece = CalibrationMetrics.ExpectedCalibrationError(bins);
        Nll = nll;
        UncalibratedEce = uncalibratedEce;
        UncalibratedNll = uncalibratedNll;
    }

    /// <summary>One intensity level of the pipeline (mild / clear / strong by the top probability): how many images, their mean confidence and the fraction right.</summary>
    public sealed record IntensityBand(string Name, double Lower, double Upper, int Count, double MeanConfidence, double Accuracy);

    public double Temperature { get; }

    /// <summary>The shown probabilities split at the pipeline's intensity thresholds (ExpressionReading): does "strong" mean mostly right?</summary>
    public IReadOnlyList<IntensityBand> Intensity { get; }

    public IReadOnlyList<CalibrationMetrics.ReliabilityBin> Bins { get; }

    public double Ece { get; }

    public double Nll { get; }

    /// <summary>ECE of the plain softmax (T = 1); equals <see cref="Ece"/> for an uncalibrated model.</summary>
    public double UncalibratedEce { get; }

    public double UncalibratedNll { get; }

    /// <param name="probabilities">The shown probabilities (N, C), at <paramref name="temperature"/>.</param>
    public static CalibrationReport Compute(ViewLogits logits, float[] probabilities, ReadOnlySpan<int> labels, double temperature)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var bins = CalibrationMetrics.Bins(probabilities, labels, logits.Classes);
        double nll = CalibrationMetrics.NegativeLogLikelihood(probabilities, labels, logits.Classes);
        var intensity = Bands(probabilities, labels, logits.Classes);
        if (temperature == 1)
        {
            return new CalibrationReport(1, bins, nll, CalibrationMetrics.ExpectedCalibrationError(bins), nll, intensity);
        }

        var plain = logits.Probabilities(1);
        return new CalibrationReport(temperature, bins, nll,
            CalibrationMetrics.ExpectedCalibrationError(plain, labels, logits.Classes),
            CalibrationMetrics.NegativeLogLikelihood(plain, labels, logits.Classes), intensity);
    }

    private static IntensityBand[] Bands(ReadOnlySpan<float> probabilities, ReadOnlySpan<int> labels, int classes)
    {
        (string Name, double Lower, double Upper)[] edges =
        [
            ("mild", 0, Math.Round(ExpressionReading.ClearThreshold, 6)),
            ("clear", Math.Round(ExpressionReading.ClearThreshold, 6), Math.Round(ExpressionReading.StrongThreshold, 6)),
            ("strong", Math.Round(ExpressionReading.StrongThreshold, 6), 1),
        ];
        var count = new int[3];
        var confidence = new double[3];
        var correct = new int[3];
        var best = Evaluation.Predictor.ArgMax(probabilities, classes);
        for (int i = 0; i < labels.Length; i++)
        {
            float p = probabilities[i * classes + best[i]];
            int band = (int)ExpressionReading.IntensityOf(p);
            count[band]++;
            confidence[band] += p;
            correct[band] += best[i] == labels[i] ? 1 : 0;
        }

        return [.. edges.Select((e, b) => new IntensityBand(e.Name, e.Lower, e.Upper, count[b], count[b] == 0 ? 0 : confidence[b] / count[b], count[b] == 0 ? 0 : (double)correct[b] / count[b]))];
    }

    /// <summary>Adds <c>ece</c>, <c>nll</c>, <c>temperature</c> and <c>uncalibrated</c> {ece, nll} to an evaluation's JSON.</summary>
    public void AddTo(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json["ece"] = Ece;
        json["nll"] = Nll;
        json["temperature"] = Temperature;
        json["uncalibrated"] = new JsonObject { ["ece"] = UncalibratedEce, ["nll"] = UncalibratedNll };
        json["reliability"] = new JsonArray([.. Bins.Select(b => (JsonNode)new JsonObject
        {
            ["lower"] = b.Lower, ["upper"] = b.Upper, ["count"] = b.Count, ["confidence"] = b.MeanConfidence, ["accuracy"] = b.Accuracy,
        })]);
        json["intensity"] = new JsonObject([.. Intensity.Select(b => KeyValuePair.Create(b.Name, (JsonNode?)new JsonObject
        {
            ["lower"] = b.Lower, ["upper"] = b.Upper, ["count"] = b.Count, ["confidence"] = b.MeanConfidence, ["accuracy"] = b.Accuracy,
        }))]);
    }

    public string Describe() => (Temperature == 1
        ? $"calibration: ECE {Ece:F4} (15 bins), NLL {Nll:F4}; temperature 1 (not calibrated)"
        : $"calibration: ECE {Ece:F4} (15 bins), NLL {Nll:F4} at temperature {Temperature:F4}; uncalibrated (T = 1): ECE {UncalibratedEce:F4}, NLL {UncalibratedNll:F4}")
        + Environment.NewLine + "intensity: " + string.Join("; ", Intensity.Select(b => $"{b.Name} {b.Count} images, mean confidence {b.MeanConfidence:F3}, {b.Accuracy:P1} right"));
}
