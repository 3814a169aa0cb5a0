using System.Globalization;
using System.Text;
using Facemoji.Engine.Networks;
using Facemoji.Training.Evaluation;
using static Facemoji.Training.Reports.SvgText;

namespace Facemoji.Training.Reports;

/// <summary>
/// The network of a model file drawn top to bottom, as Keras's <c>plot_model</c> does: the input, one box per
/// layer (name, description, output shape, parameters, multiply-adds) joined by arrows, then the labels the
/// outputs mean. Box colours tell the kinds of layer apart.
/// </summary>
public static class ArchitectureDiagramSvg
{
    public static string Render(ModelDescription model)
    {
        ArgumentNullException.ThrowIfNull(model);
        const int width = 560, boxWidth = 480, boxHeight = 46, step = 64, top = 70;
        var layers = model.Summary.Layers;
        int height = top + (layers.Count + 2) * step + 30;
        int left = (width - boxWidth) / 2;
        var svg = new StringBuilder();
        svg.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\">");
        svg.AppendLine($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        svg.AppendLine($"<text x=\"{width / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">{Escape(model.Header.Architecture)}</text>");
        svg.AppendLine($"<text x=\"{width / 2}\" y=\"44\" text-anchor=\"middle\" font-size=\"12\">{Count(model.Summary.Parameters)} parameters, {Millions(model.Summary.MultiplyAdds)} multiply-adds per image, temperature {model.Header.SoftmaxTemperature.ToString("0.####", CultureInfo.InvariantCulture)}</text>");
        var pre = model.Header.Preprocessing;
        Box(svg, left, top, boxWidth, boxHeight, "#eeeeee", "input", $"{pre.Width}x{pre.Height}x{pre.Channels}, (pixel/255 - {string.Join("/", pre.Mean.Select(m => N(m)))}) / {string.Join("/", pre.Std.Select(s => N(s)))}, crop {pre.CropPolicy}", NetworkSummary.Shape(model.Summary.InputShape));
        for (int i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            int y = top + (i + 1) * step;
            Arrow(svg, width / 2, y - step + boxHeight, y);
            string stats = $"{NetworkSummary.Shape(l.OutputShape)}   {Count(l.Parameters)} params   {Millions(l.MultiplyAdds)} MACs";
            Box(svg, left, y, boxWidth, boxHeight, Colour(l.Kind), $"{l.Name}: {l.Kind}", l.Description, stats);
        }

        int last = top + (layers.Count + 1) * step;
        Arrow(svg, width / 2, last - step + boxHeight, last);
        string temperature = model.Header.SoftmaxTemperature == 1 ? "softmax" : $"softmax(logits / {model.Header.SoftmaxTemperature.ToString("0.####", CultureInfo.InvariantCulture)})";
        Box(svg, left, last, boxWidth, boxHeight, "#eeeeee", "output", temperature, string.Join(", ", model.Header.Labels));
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    /// <summary>Writes the diagram to <paramref name="path"/>, which must end in .svg (model show --diagram m.fmj wrote the SVG over the model).</summary>
    public static void Write(ModelDescription model, string path)
    {
        if (!string.Equals(Path.GetExtension(path), ".svg", StringComparison.OrdinalIgnoreCase))
        {
            throw new FacemojiException($"--diagram {path}: the diagram is an SVG file; name it .svg.");
        }

        AtomicFile.WriteAllText(path, Render(model));
    }

    private static void Box(StringBuilder svg, int x, int y, int w, int h, string fill, string title, string line1, string line2)
    {
        svg.AppendLine($"<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"6\" fill=\"{fill}\" stroke=\"#555\"/>");
        svg.AppendLine($"<text x=\"{x + 10}\" y=\"{y + 15}\" font-size=\"12\" font-weight=\"bold\">{Escape(title)}</text>");
        svg.AppendLine($"<text x=\"{x + 10}\" y=\"{y + 29}\" font-size=\"11\">{Escape(line1)}</text>");
        svg.AppendLine($"<text x=\"{x + 10}\" y=\"{y + 42}\" font-size=\"11\" fill=\"#333\">{Escape(line2)}</text>");
    }

    private static void Arrow(StringBuilder svg, int x, int from, int to)
    {
        svg.AppendLine($"<line x1=\"{x}\" y1=\"{from}\" x2=\"{x}\" y2=\"{to - 6}\" stroke=\"#555\" stroke-width=\"1.5\"/>");
        svg.AppendLine($"<path d=\"M{x - 5},{to - 8} L{x + 5},{to - 8} L{x},{to} Z\" fill=\"#555\"/>");
    }

    private static string Colour(string kind) => kind switch
    {
        "ConvBn" or "Conv2d" => "#cfe2ff",
        "ResidualBlock" => "#d7c9f5",
        "MaxPool2d" or "AvgPool2d" or "GlobalAvgPool" => "#d9f2d9",
        "Dropout" => "#fde8c8",
        "Linear" => "#f8d0d0",
        _ => "#f2f2f2",
    };

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Millions(long value) => value >= 100_000
        ? (value / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + " M"
        : value.ToString("N0", CultureInfo.InvariantCulture);
}
