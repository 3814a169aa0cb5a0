using System.Globalization;
using Facemoji.Training.Calibration;
using ScottPlot;

namespace Facemoji.Training.Reports;

/// <summary>
/// A reliability diagram (PNG or SVG by the file name): per confidence bin, a bar of the fraction right against
/// the diagonal a calibrated model would follow, the gap to the bin's mean confidence shaded, and below it a
/// strip of how many images fall in each bin (most FER2013 readings are confident, so the bins are far from
/// equally filled).
/// </summary>
public static class ReliabilityDiagramChart
{
    private const int Width = 560, DiagramHeight = 520, StripHeight = 180;

    private static readonly Color Right = Color.FromHex("#4a78c2");
    private static readonly Color Gap = Color.FromHex("#e0533d").WithAlpha(0.45);

    public static void Write(CalibrationReport report, string title, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        var bins = report.Bins;
        using var diagram = ChartFile.NewPlot();
        using var strip = ChartFile.NewPlot();
        foreach (var bin in bins.Where(b => b.Count > 0))
        {
            var bar = diagram.Add.Rectangle(bin.Lower, bin.Upper, 0, bin.Accuracy);
            bar.FillColor = Right;
            bar.LineColor = Colors.White;
            double low = Math.Min(bin.Accuracy, bin.MeanConfidence), high = Math.Max(bin.Accuracy, bin.MeanConfidence);
            var gap = diagram.Add.Rectangle(bin.Lower, bin.Upper, low, high);
            gap.FillColor = Gap;
            gap.LineWidth = 0;
            var count = strip.Add.Rectangle(bin.Lower, bin.Upper, 0, bin.Count);
            count.FillColor = Colors.Gray;
            count.LineColor = Colors.White;
        }

        var diagonal = diagram.Add.Line(0, 0, 1, 1);
        diagonal.LineColor = Colors.Black;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LegendText = "calibrated";
        var legendRight = diagram.Add.Rectangle(0, 0, 0, 0);
        legendRight.FillColor = Right;
        legendRight.LegendText = "fraction right";
        var legendGap = diagram.Add.Rectangle(0, 0, 0, 0);
        legendGap.FillColor = Gap;
        legendGap.LegendText = "gap to mean confidence";
        diagram.ShowLegend(Alignment.UpperLeft);
        diagram.Axes.SetLimits(0, 1, 0, 1);
        diagram.YLabel("fraction right", 13);
        string temperature = report.Temperature == 1 ? "temperature 1" : $"temperature {F(report.Temperature)} (T = 1: ECE {F(report.UncalibratedEce)})";
        diagram.Title($"{title}\nECE {F(report.Ece)} ({bins.Count} bins), NLL {F(report.Nll)}; {temperature}", 14);

        strip.Axes.SetLimits(0, 1, 0, Math.Max(1, bins.Max(b => b.Count)) * 1.1);
        strip.XLabel("top probability (confidence)", 13);
        strip.YLabel("images", 13);

        ChartFile.Save(path, Width, DiagramHeight + StripHeight,
            (diagram, new PixelRect(0, Width, DiagramHeight, 0)),
            (strip, new PixelRect(0, Width, DiagramHeight + StripHeight, DiagramHeight)));
    }

    /// <summary>Beside a confusion matrix file: confusion-test.svg gives reliability-test.svg, x.png gives x.reliability.png.</summary>
    public static string PathBeside(string confusionPath)
    {
        ArgumentNullException.ThrowIfNull(confusionPath);
        string name = Path.GetFileName(confusionPath);
        string folder = Path.GetDirectoryName(confusionPath) ?? string.Empty;
        string replaced = name.StartsWith("confusion", StringComparison.OrdinalIgnoreCase)
            ? "reliability" + name["confusion".Length..]
            : Path.GetFileNameWithoutExtension(name) + ".reliability" + Path.GetExtension(name);
        return Path.Combine(folder, replaced);
    }

    private static string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
