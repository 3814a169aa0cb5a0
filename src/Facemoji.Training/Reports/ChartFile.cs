using Facemoji.Engine;
using ScottPlot;
using SkiaSharp;

namespace Facemoji.Training.Reports;

/// <summary>
/// Writes ScottPlot charts to a file whose name says the format: <c>.png</c> or <c>.svg</c>. One or more plots
/// share the picture, each in its own rectangle; the file is written whole or not at all.
/// </summary>
public static class ChartFile
{
    /// <summary>The file name endings a chart can be written to.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".svg"];

    /// <summary>Throws a <see cref="FacemojiException"/> naming <paramref name="option"/> unless the path ends in .png or .svg.</summary>
    public static void CheckName(string path, string option)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!Extensions.Contains(Path.GetExtension(path).ToLowerInvariant()))
        {
            throw new FacemojiException($"{option} {path}: a chart is written as .png or .svg; name the file with one of those endings.");
        }
    }

    /// <summary>A plot with the charts' font, a white background and no interactive decorations.</summary>
    internal static Plot NewPlot()
    {
        var plot = new Plot();
        if (ChartFonts.Ensure() is { } family)
        {
            plot.Font.Set(family);
        }

        return plot;
    }

    internal static void Save(string path, int width, int height, params (Plot Plot, PixelRect Area)[] panels)
    {
        CheckName(path, "chart");
        bool svg = Path.GetExtension(path).Equals(".svg", StringComparison.OrdinalIgnoreCase);
        AtomicFile.Write(path, stream =>
        {
            if (svg)
            {
                using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream))
                {
                    Draw(canvas, panels);
                }
            }
            else
            {
                using var surface = SKSurface.Create(new SKImageInfo(width, height)) ?? throw new FacemojiException($"{path}: cannot make a {width}x{height} picture to draw the chart on.");
                Draw(surface.Canvas, panels);
                using var image = surface.Snapshot();
                using var png = image.Encode(SKEncodedImageFormat.Png, 100);
                png.SaveTo(stream);
            }
        });
    }

    private static void Draw(SKCanvas canvas, (Plot Plot, PixelRect Area)[] panels)
    {
        canvas.Clear(SKColors.White);
        foreach (var (plot, area) in panels)
        {
            // A first render settles the axis limits and the layout; rendering onto the canvas straight away would
            // draw twice (ScottPlot renders again when the first pass changed them), and an SVG would keep both.
            plot.RenderInMemory((int)area.Width, (int)area.Height);
            // Each plot clears its canvas first: the clip keeps it to its own rectangle.
            canvas.Save();
            canvas.ClipRect(new SKRect(area.Left, area.Top, area.Right, area.Bottom));
            plot.Render(canvas, area);
            canvas.Restore();
        }
    }
}
