using System.Xml.Linq;
using Facemoji.Emoji.Drawn;
using Facemoji.Expressions;
using Facemoji.Imaging;

namespace Facemoji.Emoji.Tests.Drawn;

public class FacemojiPackTests
{
    private static readonly FacemojiPack Pack = FacemojiPack.Instance;

    [Fact]
    public void Renders_are_deterministic()
    {
        var a = Pack.Render(Emotion.Fear, Intensity.Strong, 96);
        var b = Pack.Render(Emotion.Fear, Intensity.Strong, 96);
        a.Pixels.Should().Equal(b.Pixels);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(257)]
    public void Any_size_gives_a_square_with_a_transparent_corner_and_an_opaque_centre(int size)
    {
        var image = Pack.Render(Emotion.Happy, Intensity.Clear, size);
        image.Width.Should().Be(size);
        image.Height.Should().Be(size);
        if (size >= 16)
        {
            image.Pixels[3].Should().Be(0, "the corner lies outside the round head");
            image.Pixels[((size / 2) * size + size / 2) * 4 + 3].Should().Be(255);
        }
    }

    [Fact]
    public void Edges_are_anti_aliased()
    {
        // Along the head's outline there are partly covered pixels, not just 0 and 255 alpha.
        var image = Pack.Render(Emotion.Neutral, Intensity.Clear, 64);
        var alphas = Enumerable.Range(0, 64 * 64).Select(i => image.Pixels[i * 4 + 3]).ToList();
        alphas.Count(a => a is > 0 and < 255).Should().BeGreaterThan(40);
    }

    [Fact]
    public void The_image_changes_little_when_the_probabilities_change_little()
    {
        float[] baseline = [0.05f, 0.05f, 0.1f, 0.4f, 0.1f, 0.25f, 0.05f];
        float[] nudged = [0.05f, 0.05f, 0.1f, 0.39f, 0.1f, 0.26f, 0.05f];
        float[] different = [0.05f, 0.05f, 0.1f, 0.05f, 0.1f, 0.6f, 0.05f];
        var a = Pack.Render(new ExpressionReading(baseline), 128);
        var b = Pack.Render(new ExpressionReading(nudged), 128);
        var c = Pack.Render(new ExpressionReading(different), 128);
        double small = MeanAbsoluteDifference(a, b), large = MeanAbsoluteDifference(a, c);
        small.Should().BeLessThan(0.5, "a 1% shift moves the face a little");
        large.Should().BeGreaterThan(small * 10, "a big shift moves it a lot");
    }

    [Fact]
    public void Svg_is_well_formed_and_has_the_requested_size()
    {
        foreach (Emotion emotion in Enum.GetValues<Emotion>())
        {
            foreach (Intensity intensity in Enum.GetValues<Intensity>())
            {
                string svg = Pack.RenderSvg(emotion, intensity, 64);
                var root = XDocument.Parse(svg).Root!;
                root.Name.LocalName.Should().Be("svg");
                root.Attribute("width")!.Value.Should().Be("64");
                svg.Should().NotContain("NaN").And.NotContain("Infinity");
            }
        }
    }

    [Fact]
    public void Svg_has_one_drawing_element_per_raster_layer_at_least()
    {
        var face = FaceExpressions.For(Emotion.Sad, Intensity.Strong);
        string svg = Pack.RenderSvg(face, 128);
        int elements = XDocument.Parse(svg).Root!.Elements().Count(e => e.Name.LocalName != "defs");
        elements.Should().BeGreaterThanOrEqualTo(15, "head, shading, eyes, brows, mouth, teeth, tongue and tears");
        svg.Should().Contain("clip-path").And.Contain("radialGradient").And.Contain("linearGradient");
    }

    [Fact]
    public void Sizes_outside_the_limits_are_refused()
    {
        var act = () => Pack.Render(Emotion.Happy, Intensity.Mild, 0);
        act.Should().Throw<ArgumentOutOfRangeException>();
        var huge = () => Pack.Render(Emotion.Happy, Intensity.Mild, 100_000);
        huge.Should().Throw<ArgumentOutOfRangeException>();
    }

    internal static double MeanAbsoluteDifference(RgbaImage a, RgbaImage b)
    {
        long sum = 0;
        for (int i = 0; i < a.Pixels.Length; i++)
        {
            sum += Math.Abs(a.Pixels[i] - b.Pixels[i]);
        }

        return sum / (double)a.Pixels.Length;
    }
}
