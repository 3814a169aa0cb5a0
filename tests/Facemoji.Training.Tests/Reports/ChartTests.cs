using System.Xml.Linq;
using Facemoji.Engine;
using Facemoji.Imaging;
using Facemoji.Training.Calibration;
using Facemoji.Training.Evaluation;
using Facemoji.Training.Reports;
using Facemoji.Training.Runs;

namespace Facemoji.Training.Tests.Reports;

/// <summary>The ScottPlot charts: each is written as valid PNG and SVG, the SVG carries the labels and values drawn.</summary>
public sealed class ChartTests : IDisposable
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    // truth:     a a a a b b c c c c
    // predicted: a a b c b b c c a c   rows: a 2 1 1 (50%, 25%, 25%), b 0 2 0 (100%), c 1 0 3 (25%, 0%, 75%)
    private static ClassificationReport Example() =>
        ClassificationReport.Compute([0, 0, 0, 0, 1, 1, 2, 2, 2, 2], [0, 0, 1, 2, 1, 1, 2, 2, 0, 2], ["angry", "happy", "neutral"]);

    [Fact]
    public void The_confusion_matrix_shows_every_label_count_and_row_share()
    {
        string svg = folder.Combine("confusion.svg");
        ConfusionMatrixChart.Write(Example(), "test <set> & more", svg);

        var texts = Texts(svg);
        texts.Should().Contain(["test <set> & more", "angry", "happy", "neutral", "predicted", "true class", "50.0%", "100.0%", "75.0%", "0.0%"]);
        texts.Should().Contain(t => t.Contains("accuracy 70%") && t.Contains("n 10"));
        texts.Count(t => t == "3").Should().Be(1, "one cell holds 3 images");

        string png = folder.Combine("confusion.png");
        ConfusionMatrixChart.Write(Example(), "test", png);
        var image = LoadPng(png);
        DistinctColours(image).Should().BeGreaterThan(20, "the cells are shaded and the text anti-aliased");
    }

    [Fact]
    public void The_training_curves_have_both_panels_and_both_series()
    {
        var history = new[] { new EpochRecord(1, 1.8, 0.3, 1.7, 0.35, 0.01, 10), new EpochRecord(2, 1.5, 0.45, 1.6, 0.4, 0.005, 10), new EpochRecord(3, 1.2, 0.55, 1.5, double.NaN, 0.001, 10) };
        string svg = folder.Combine("model.curves.svg");
        TrainingCurvesChart.Write(history, "bench-vgg8, seed 7", svg);

        var texts = Texts(svg);
        texts.Should().Contain(["bench-vgg8, seed 7: loss", "bench-vgg8, seed 7: accuracy", "epoch", "train", "validation"]);
        texts.Count(t => t == "validation").Should().Be(2, "each panel has its legend");

        string png = folder.Combine("model.curves.png");
        TrainingCurvesChart.Write(history, "run", png);
        var image = LoadPng(png);
        image.Width.Should().BeGreaterThan(image.Height, "two panels side by side");
    }

    [Fact]
    public void The_reliability_diagram_carries_the_figures()
    {
        var logits = new ViewLogits([2f, 0f, 0f, 1f, 3f, 0f], 1, 3, 2);
        int[] labels = [0, 0, 1];
        var report = CalibrationReport.Compute(logits, logits.Probabilities(1.5), labels, 1.5);
        string svg = folder.Combine("reliability.svg");
        ReliabilityDiagramChart.Write(report, "a <test>", svg);

        var texts = Texts(svg);
        texts.Should().Contain(["a <test>", "fraction right", "top probability (confidence)", "images", "calibrated"]);
        texts.Should().Contain(t => t.Contains($"ECE {report.Ece:F3}") && t.Contains("temperature 1.500"));

        string png = folder.Combine("reliability.png");
        ReliabilityDiagramChart.Write(report, "a <test>", png);
        LoadPng(png).Height.Should().BeGreaterThan(500);
    }

    [Fact]
    public void A_chart_name_must_end_in_png_or_svg_and_nothing_is_written_otherwise()
    {
        string path = folder.Combine("confusion.pdf");
        var act = () => ConfusionMatrixChart.Write(Example(), "test", path);
        act.Should().Throw<FacemojiException>().WithMessage("*confusion.pdf*.png or .svg*");
        Directory.EnumerateFileSystemEntries(folder.Path).Should().BeEmpty();
        ChartFile.CheckName("x.PNG", "-o");
    }

    [Fact]
    public void The_reliability_diagram_goes_beside_the_confusion_matrix_in_its_format()
    {
        ReliabilityDiagramChart.PathBeside(Path.Combine("out", "confusion-test.svg")).Should().Be(Path.Combine("out", "reliability-test.svg"));
        ReliabilityDiagramChart.PathBeside("matrix.svg").Should().Be("matrix.reliability.svg");
        ReliabilityDiagramChart.PathBeside("matrix.png").Should().Be("matrix.reliability.png");
    }

    /// <summary>The text of every &lt;text&gt; element of a well-formed SVG document (Skia writes one per line drawn).</summary>
    private static List<string> Texts(string path)
    {
        var document = XDocument.Load(path);
        document.Root!.Name.Should().Be(Svg + "svg");
        return document.Descendants(Svg + "text").Select(t => t.Value.Trim()).ToList();
    }

    private static RgbaImage LoadPng(string path)
    {
        File.ReadAllBytes(path).Take(8).Should().Equal(PngSignature);
        return ImageCodecs.Load(path);
    }

    private static int DistinctColours(RgbaImage image)
    {
        var colours = new HashSet<int>();
        for (int i = 0; i < image.Pixels.Length; i += 4)
        {
            colours.Add(image.Pixels[i] << 16 | image.Pixels[i + 1] << 8 | image.Pixels[i + 2]);
        }

        return colours.Count;
    }
}
