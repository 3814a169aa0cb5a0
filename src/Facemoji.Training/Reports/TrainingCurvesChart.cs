using Facemoji.Training.Runs;
using ScottPlot;

namespace Facemoji.Training.Reports;

/// <summary>Loss and accuracy per epoch, training and validation, as two side-by-side line charts (PNG or SVG by the file name).</summary>
public static class TrainingCurvesChart
{
    private const int PanelWidth = 560, Height = 420;

    private static readonly Color Train = Color.FromHex("#1f77b4");
    private static readonly Color Validation = Color.FromHex("#d62728");

    public static void Write(IReadOnlyList<EpochRecord> history, string title, string path)
    {
        ArgumentNullException.ThrowIfNull(history);
        using var loss = Panel(history, $"{title}: loss", "loss", r => r.TrainLoss, r => r.ValidationLoss, Alignment.UpperRight);
        using var accuracy = Panel(history, $"{title}: accuracy", "accuracy", r => r.TrainAccuracy, r => r.ValidationAccuracy, Alignment.LowerRight);
        ChartFile.Save(path, 2 * PanelWidth, Height,
            (loss, new PixelRect(0, PanelWidth, Height, 0)),
            (accuracy, new PixelRect(PanelWidth, 2 * PanelWidth, Height, 0)));
    }

    private static Plot Panel(IReadOnlyList<EpochRecord> history, string title, string quantity, Func<EpochRecord, double> train, Func<EpochRecord, double> validation, Alignment legend)
    {
        var plot = ChartFile.NewPlot();
        plot.Title(title, 15);
        plot.XLabel("epoch", 13);
        plot.YLabel(quantity, 13);
        Line(plot, history, train, Train, "train");
        Line(plot, history, validation, Validation, "validation");
        int lastEpoch = history.Count == 0 ? 1 : history.Max(r => r.Epoch);
        plot.Axes.SetLimitsX(0.5, lastEpoch + 0.5);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(legend); // where the curves, falling or rising, leave room
        return plot;
    }

    private static void Line(Plot plot, IReadOnlyList<EpochRecord> history, Func<EpochRecord, double> value, Color colour, string name)
    {
        var points = history.Where(r => double.IsFinite(value(r))).ToArray();
        if (points.Length == 0)
        {
            return;
        }

        var line = plot.Add.Scatter(points.Select(r => (double)r.Epoch).ToArray(), points.Select(value).ToArray(), colour);
        line.LegendText = name;
        line.LineWidth = 2;
        line.MarkerSize = 6;
    }
}
