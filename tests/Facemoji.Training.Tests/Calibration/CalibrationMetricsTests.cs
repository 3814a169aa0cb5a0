using Facemoji.Training.Calibration;

namespace Facemoji.Training.Tests.Calibration;

public sealed class CalibrationMetricsTests
{
    // Four images, two classes; top probabilities 0.9 (right), 0.92 (wrong), 0.7 (right), 0.62 (wrong).
    private static readonly float[] Probabilities = [0.9f, 0.1f, 0.08f, 0.92f, 0.7f, 0.3f, 0.38f, 0.62f];
    private static readonly int[] Labels = [0, 0, 0, 0];

    [Fact]
    public void EceMatchesTheHandComputedValue()
    {
        // 15 bins of width 1/15: 0.9 and 0.92 share bin 13 (0.867, 0.933]: accuracy 0.5, confidence 0.91;
        // 0.7 is alone in bin 10, 0.62 alone in bin 9.
        // ECE = 2/4 * |0.5 - 0.91| + 1/4 * |1 - 0.7| + 1/4 * |0 - 0.62| = 0.205 + 0.075 + 0.155 = 0.435.
        CalibrationMetrics.ExpectedCalibrationError(Probabilities, Labels, 2).Should().BeApproximately(0.435, 1e-6);

        var bins = CalibrationMetrics.Bins(Probabilities, Labels, 2);
        bins.Should().HaveCount(15);
        bins[13].Count.Should().Be(2);
        bins[13].Accuracy.Should().Be(0.5);
        bins[13].MeanConfidence.Should().BeApproximately(0.91, 1e-6);
        bins[10].Count.Should().Be(1);
        bins[9].Count.Should().Be(1);
        bins.Sum(b => b.Count).Should().Be(4);
    }

    [Fact]
    public void NllMatchesTheHandComputedValue()
    {
        // -(ln 0.9 + ln 0.08 + ln 0.7 + ln 0.38) / 4 = (0.1053605 + 2.5257286 + 0.3566749 + 0.9675840) / 4
        CalibrationMetrics.NegativeLogLikelihood(Probabilities, Labels, 2).Should().BeApproximately(0.9888370, 1e-6);
    }

    [Fact]
    public void AConfidenceOnABinEdgeGoesToTheLowerBin()
    {
        var bins = CalibrationMetrics.Bins([0.5f, 0.5f], [0], 2, bins: 2);
        bins[0].Count.Should().Be(1);
        bins[1].Count.Should().Be(0);
    }

    [Fact]
    public void PerfectlyCalibratedBinsHaveZeroError()
    {
        // Confidence 0.75 in every row and three of four right.
        float[] p = [0.75f, 0.25f, 0.75f, 0.25f, 0.75f, 0.25f, 0.25f, 0.75f];
        CalibrationMetrics.ExpectedCalibrationError(p, [0, 0, 0, 0], 2).Should().BeApproximately(0, 1e-6);
    }

    [Fact]
    public void BadShapesAndLabelsAreRefused()
    {
        FluentActions.Invoking(() => CalibrationMetrics.NegativeLogLikelihood([0.5f, 0.5f], [0, 1], 2)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => CalibrationMetrics.NegativeLogLikelihood([0.5f, 0.5f], [2], 2)).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void ReportCarriesTheFigures()
    {
        var logits = new ViewLogits([2f, 0f, 0f, 1f, 3f, 0f], 1, 3, 2);
        int[] labels = [0, 0, 0];
        var shown = logits.Probabilities(1.5);

        var report = CalibrationReport.Compute(logits, shown, labels, 1.5);

        report.Ece.Should().BeApproximately(CalibrationMetrics.ExpectedCalibrationError(shown, labels, 2), 1e-12);
        report.UncalibratedEce.Should().BeApproximately(CalibrationMetrics.ExpectedCalibrationError(logits.Probabilities(1), labels, 2), 1e-12);
        report.UncalibratedNll.Should().BeLessThan(report.Nll + 1, "both are finite");
        var json = new System.Text.Json.Nodes.JsonObject();
        report.AddTo(json);
        json["temperature"]!.GetValue<double>().Should().Be(1.5);
        json["ece"]!.GetValue<double>().Should().Be(report.Ece);
        json["uncalibrated"]!["nll"]!.GetValue<double>().Should().Be(report.UncalibratedNll);
    }
}
