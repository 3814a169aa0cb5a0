using System.Text;
using Facemoji.Training.Calibration;
using static Facemoji.Training.Reports.SvgText;

namespace Facemoji.Training.Reports;

/// <summary>
/// A reliability diagram as SVG: per confidence bin, a bar of the fraction right against the diagonal a
/// calibrated model would follow, the gap to the bin's mean confidence shaded, and a strip of how many images
/// fall in each bin (most FER2013 readings are confident, so the bins are far from equally filled).
/// </summary>
public static class ReliabilityDiagramSvg
{
    public static string Render(CalibrationReport report, string title)
    {
        ArgumentNullException.ThrowIfNull(report);
        const int left = 60, top = 60, plot = 360, strip = 60, gap = 30;
        int width = left + plot + 30, height = top + plot + gap + strip + 50;
        var bins = report.Bins;
        int maxCount = Math.Max(1, bins.Max(b => b.Count));
        double binWidth = (double)plot / bins.Count;
        var svg = new StringBuilder();
        svg.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\">");
        svg.AppendLine($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        svg.AppendLine($"<text x=\"{width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>");
        string temperature = report.Temperature == 1 ? "temperature 1" : $"temperature {report.Temperature:F3} (T = 1: ECE {report.UncalibratedEce:F3})";
        svg.AppendLine($"<text x=\"{width / 2}\" y=\"42\" text-anchor=\"middle\" font-size=\"12\">ECE {report.Ece:F3} ({bins.Count} bins), NLL {report.Nll:F3}; {temperature}</text>");
        double X(double v) => left + v * plot;
        double Y(double v) => top + (1 - v) * plot;
        for (int i = 0; i <= 10; i++)
        {
            double v = i / 10.0;
            svg.AppendLine($"<line x1=\"{N(X(0))}\" y1=\"{N(Y(v))}\" x2=\"{N(X(1))}\" y2=\"{N(Y(v))}\" stroke=\"#eee\"/>");
            svg.AppendLine($"<text x=\"{left - 6}\" y=\"{N(Y(v) + 4)}\" text-anchor=\"end\" font-size=\"10\">{N(v)}</text>");
            svg.AppendLine($"<text x=\"{N(X(v))}\" y=\"{top + plot + 14}\" text-anchor=\"middle\" font-size=\"10\">{N(v)}</text>");
        }

        foreach (var (bin, index) in bins.Select((b, i) => (b, i)))
        {
            if (bin.Count == 0)
            {
                continue;
            }

            double x = left + index * binWidth;
            double lowEdge = Math.Min(bin.Accuracy, bin.MeanConfidence), highEdge = Math.Max(bin.Accuracy, bin.MeanConfidence);
            svg.AppendLine($"<rect x=\"{N(x + 1)}\" y=\"{N(Y(bin.Accuracy))}\" width=\"{N(binWidth - 2)}\" height=\"{N(bin.Accuracy * plot)}\" fill=\"#4a78c2\"><title>{N(bin.Lower)}-{N(bin.Upper)}: {bin.Count} images, accuracy {N(bin.Accuracy)}, mean confidence {N(bin.MeanConfidence)}</title></rect>");
            svg.AppendLine($"<rect x=\"{N(x + 1)}\" y=\"{N(Y(highEdge))}\" width=\"{N(binWidth - 2)}\" height=\"{N((highEdge - lowEdge) * plot)}\" fill=\"#e0533d\" fill-opacity=\"0.45\"/>");
            double countHeight = (double)bin.Count / maxCount * strip;
            int stripBottom = top + plot + gap + strip;
            svg.AppendLine($"<rect x=\"{N(x + 1)}\" y=\"{N(stripBottom - countHeight)}\" width=\"{N(binWidth - 2)}\" height=\"{N(countHeight)}\" fill=\"#999\"/>");
        }

        svg.AppendLine($"<line x1=\"{N(X(0))}\" y1=\"{N(Y(0))}\" x2=\"{N(X(1))}\" y2=\"{N(Y(1))}\" stroke=\"black\" stroke-dasharray=\"4 3\"/>");
        svg.AppendLine($"<rect x=\"{left}\" y=\"{top}\" width=\"{plot}\" height=\"{plot}\" fill=\"none\" stroke=\"#888\"/>");
        svg.AppendLine($"<text x=\"{left + plot / 2}\" y=\"{top + plot + 26}\" text-anchor=\"middle\" font-size=\"11\">top probability (confidence)</text>");
        svg.AppendLine($"<text x=\"16\" y=\"{top + plot / 2}\" text-anchor=\"middle\" font-size=\"11\" transform=\"rotate(-90 16 {top + plot / 2})\">fraction right</text>");
        svg.AppendLine($"<text x=\"{left + plot / 2}\" y=\"{height - 12}\" text-anchor=\"middle\" font-size=\"11\">images per bin (grey, tallest {maxCount}); blue: fraction right; red: gap to the mean confidence</text>");
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    public static void Write(CalibrationReport report, string title, string path) => AtomicFile.WriteAllText(path, Render(report, title));

    /// <summary>Beside a confusion matrix file: confusion-test.svg gives reliability-test.svg, x.svg gives x.reliability.svg.</summary>
    public static string PathBeside(string confusionPath)
    {
        ArgumentNullException.ThrowIfNull(confusionPath);
        string name = Path.GetFileName(confusionPath);
        string folder = Path.GetDirectoryName(confusionPath) ?? string.Empty;
        string replaced = name.StartsWith("confusion", StringComparison.OrdinalIgnoreCase)
            ? "reliability" + name["confusion".Length..]
            : Path.GetFileNameWithoutExtension(name) + ".reliability.svg";
        return Path.Combine(folder, replaced);
    }
}
