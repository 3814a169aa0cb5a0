using System.Globalization;
using Facemoji.Training.Evaluation;
using ScottPlot;

namespace Facemoji.Training.Reports;

/// <summary>
/// The confusion matrix as a heat map (PNG or SVG by the file name): rows are the true class, columns the
/// prediction, each cell coloured by its share of the row (the recall view, so a rare class such as disgust reads
/// as clearly as happy) and labelled with the count and that share.
/// </summary>
public static class ConfusionMatrixChart
{
    public static void Write(ClassificationReport report, string title, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        int classes = report.Labels.Count;
        using var plot = ChartFile.NewPlot();
        var colours = new ScottPlot.Colormaps.Blues();
        for (int t = 0; t < classes; t++)
        {
            int rowTotal = report.Confusion[t].Sum();
            double y = classes - 1 - t; // the first class on top, as the table prints it
            for (int p = 0; p < classes; p++)
            {
                int count = report.Confusion[t][p];
                double share = rowTotal == 0 ? 0 : (double)count / rowTotal;
                var cell = plot.Add.Rectangle(p - 0.5, p + 0.5, y - 0.5, y + 0.5);
                cell.FillColor = colours.GetColor(0.95 - share * 0.85); // the colour map runs from dark to light
                cell.LineColor = Colors.White;
                cell.LineWidth = 1;
                var text = plot.Add.Text($"{count}\n{(share * 100).ToString("0.0", CultureInfo.InvariantCulture)}%", p, y);
                text.Alignment = Alignment.MiddleCenter;
                text.LabelFontSize = 13;
                text.LabelBold = p == t;
                text.LabelFontColor = share > 0.5 ? Colors.White : Colors.Black;
            }
        }

        double[] positions = Enumerable.Range(0, classes).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, [.. report.Labels]);
        plot.Axes.Left.SetTicks(positions, [.. report.Labels.Reverse()]);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        plot.Axes.SetLimits(-0.5, classes - 0.5, -0.5, classes - 0.5);
        plot.HideGrid();
        plot.XLabel("predicted", 14);
        plot.YLabel("true class", 14);
        plot.Title($"{title}\naccuracy {(report.Accuracy * 100).ToString("0.##", CultureInfo.InvariantCulture)}%, macro-F1 {report.MacroF1.ToString("F3", CultureInfo.InvariantCulture)}, n {report.N}", 15);
        int size = 140 + 80 * classes;
        ChartFile.Save(path, size + 40, size + 60, (plot, new PixelRect(0, size + 40, size + 60, 0)));
    }
}
