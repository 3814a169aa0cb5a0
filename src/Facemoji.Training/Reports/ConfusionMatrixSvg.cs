using System.Text;
using Facemoji.Training.Evaluation;
using static Facemoji.Training.Reports.SvgText;

namespace Facemoji.Training.Reports;

/// <summary>
/// The confusion matrix as an SVG heat map: rows are the true class, columns the prediction, each cell
/// coloured by its share of the row (the recall view, so a rare class such as disgust reads as clearly as
/// happy) and labelled with the count and that share.
/// </summary>
public static class ConfusionMatrixSvg
{
    public static string Render(ClassificationReport report, string title)
    {
        const int cell = 64, left = 110, top = 70;
        int classes = report.Labels.Count;
        int width = left + classes * cell + 30, height = top + classes * cell + 60;
        var svg = new StringBuilder();
        svg.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\">");
        svg.AppendLine($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        svg.AppendLine($"<text x=\"{width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>");
        svg.AppendLine($"<text x=\"{width / 2}\" y=\"42\" text-anchor=\"middle\" font-size=\"12\">accuracy {N(report.Accuracy * 100)}%, macro-F1 {report.MacroF1:F3}, n {report.N}; rows: true class, columns: predicted</text>");
        for (int t = 0; t < classes; t++)
        {
            int rowTotal = report.Confusion[t].Sum();
            int y = top + t * cell;
            svg.AppendLine($"<text x=\"{left - 8}\" y=\"{y + cell / 2 + 4}\" text-anchor=\"end\" font-size=\"12\">{Escape(report.Labels[t])}</text>");
            for (int p = 0; p < classes; p++)
            {
                int x = left + p * cell;
                int count = report.Confusion[t][p];
                double share = rowTotal == 0 ? 0 : (double)count / rowTotal;
                // White to deep blue; text turns white on dark cells.
                int shade = (int)Math.Round(255 - share * 200);
                string fill = $"rgb({shade},{(int)Math.Round(255 - share * 150)},255)";
                string ink = share > 0.55 ? "white" : "black";
                svg.AppendLine($"<rect x=\"{x}\" y=\"{y}\" width=\"{cell}\" height=\"{cell}\" fill=\"{fill}\" stroke=\"#888\" stroke-width=\"0.5\"/>");
                svg.AppendLine($"<text x=\"{x + cell / 2}\" y=\"{y + cell / 2 - 2}\" text-anchor=\"middle\" font-size=\"13\" fill=\"{ink}\">{count}</text>");
                svg.AppendLine($"<text x=\"{x + cell / 2}\" y=\"{y + cell / 2 + 14}\" text-anchor=\"middle\" font-size=\"10\" fill=\"{ink}\">{N(share * 100)}%</text>");
            }
        }

        for (int p = 0; p < classes; p++)
        {
            int x = left + p * cell + cell / 2;
            svg.AppendLine($"<text x=\"{x}\" y=\"{top + classes * cell + 18}\" text-anchor=\"middle\" font-size=\"12\">{Escape(report.Labels[p])}</text>");
        }

        svg.AppendLine($"<text x=\"{left + classes * cell / 2}\" y=\"{top + classes * cell + 42}\" text-anchor=\"middle\" font-size=\"12\">predicted</text>");
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    public static void Write(ClassificationReport report, string title, string path) => AtomicFile.WriteAllText(path, Render(report, title));
}
