using System.Text;
using Facemoji.Training.Runs;
using static Facemoji.Training.Reports.SvgText;

namespace Facemoji.Training.Reports;

/// <summary>Loss and accuracy per epoch, training and validation, as two side-by-side SVG line charts.</summary>
internal static class TrainingCurvesSvg
{
    private const int PanelWidth = 420, PanelHeight = 280, Margin = 50;

    public static string Render(IReadOnlyList<EpochRecord> history, string title)
    {
        int width = 2 * (PanelWidth + Margin) + Margin, height = PanelHeight + 2 * Margin + 40;
        var svg = new StringBuilder();
        svg.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\">");
        svg.AppendLine($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        svg.AppendLine($"<text x=\"{width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>");
        Panel(svg, history, Margin, "loss", r => r.TrainLoss, r => r.ValidationLoss, fromZero: false);
        Panel(svg, history, 2 * Margin + PanelWidth, "accuracy", r => r.TrainAccuracy, r => r.ValidationAccuracy, fromZero: false);
        int legendY = height - 18;
        svg.AppendLine($"<line x1=\"{Margin}\" y1=\"{legendY - 4}\" x2=\"{Margin + 24}\" y2=\"{legendY - 4}\" stroke=\"#1f77b4\" stroke-width=\"2\"/><text x=\"{Margin + 30}\" y=\"{legendY}\" font-size=\"12\">train</text>");
        svg.AppendLine($"<line x1=\"{Margin + 90}\" y1=\"{legendY - 4}\" x2=\"{Margin + 114}\" y2=\"{legendY - 4}\" stroke=\"#d62728\" stroke-width=\"2\"/><text x=\"{Margin + 120}\" y=\"{legendY}\" font-size=\"12\">validation</text>");
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    public static void Write(IReadOnlyList<EpochRecord> history, string title, string path) => AtomicFile.WriteAllText(path, Render(history, title));

    private static void Panel(StringBuilder svg, IReadOnlyList<EpochRecord> history, int left, string name, Func<EpochRecord, double> train, Func<EpochRecord, double> validation, bool fromZero)
    {
        int top = Margin;
        var values = history.SelectMany(r => new[] { train(r), validation(r) }).Where(double.IsFinite).ToArray();
        double min = values.Length == 0 ? 0 : values.Min(), max = values.Length == 0 ? 1 : values.Max();
        if (fromZero)
        {
            min = Math.Min(0, min);
        }

        if (max - min < 1e-9)
        {
            max = min + 1;
        }

        double pad = (max - min) * 0.05;
        min -= pad;
        max += pad;
        int lastEpoch = Math.Max(1, history.Count == 0 ? 1 : history.Max(r => r.Epoch));
        double X(int epoch) => left + (lastEpoch == 1 ? PanelWidth / 2.0 : (epoch - 1) * PanelWidth / (double)(lastEpoch - 1));
        double Y(double value) => top + PanelHeight - (value - min) / (max - min) * PanelHeight;

        svg.AppendLine($"<rect x=\"{left}\" y=\"{top}\" width=\"{PanelWidth}\" height=\"{PanelHeight}\" fill=\"none\" stroke=\"#444\"/>");
        svg.AppendLine($"<text x=\"{left + PanelWidth / 2}\" y=\"{top - 8}\" text-anchor=\"middle\" font-size=\"13\">{name}</text>");
        for (int i = 0; i <= 4; i++)
        {
            double value = min + (max - min) * i / 4;
            double y = Y(value);
            svg.AppendLine($"<line x1=\"{left}\" y1=\"{N(y)}\" x2=\"{left + PanelWidth}\" y2=\"{N(y)}\" stroke=\"#ddd\"/>");
            svg.AppendLine($"<text x=\"{left - 4}\" y=\"{N(y + 4)}\" text-anchor=\"end\" font-size=\"10\">{value:0.###}</text>");
        }

        int step = Math.Max(1, lastEpoch / 10);
        for (int epoch = 1; epoch <= lastEpoch; epoch += step)
        {
            svg.AppendLine($"<text x=\"{N(X(epoch))}\" y=\"{top + PanelHeight + 14}\" text-anchor=\"middle\" font-size=\"10\">{epoch}</text>");
        }

        svg.AppendLine($"<text x=\"{left + PanelWidth / 2}\" y=\"{top + PanelHeight + 30}\" text-anchor=\"middle\" font-size=\"11\">epoch</text>");
        Line(svg, history, r => train(r), X, Y, "#1f77b4");
        Line(svg, history, r => validation(r), X, Y, "#d62728");
    }

    private static void Line(StringBuilder svg, IReadOnlyList<EpochRecord> history, Func<EpochRecord, double> value, Func<int, double> x, Func<double, double> y, string colour)
    {
        var points = history.Where(r => double.IsFinite(value(r))).Select(r => $"{N(x(r.Epoch))},{N(y(value(r)))}").ToArray();
        if (points.Length == 0)
        {
            return;
        }

        svg.AppendLine($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', points)}\"/>");
        foreach (var point in points)
        {
            var xy = point.Split(',');
            svg.AppendLine($"<circle cx=\"{xy[0]}\" cy=\"{xy[1]}\" r=\"2.5\" fill=\"{colour}\"/>");
        }
    }
}
