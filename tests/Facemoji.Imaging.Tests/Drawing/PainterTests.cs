using Facemoji.Imaging.Drawing;
using Facemoji.Imaging.Tests.Support;

namespace Facemoji.Imaging.Tests.Drawing;

/// <summary>
/// Each shape scene is drawn here and by tools/make_imaging_fixtures.py (numpy, independently); the renders must
/// agree. Text is Skia's anti-aliased font rendering: its references (text.png, label.png) are renders of this code,
/// checked by eye and rewritten with FACEMOJI_UPDATE_REFERENCES=1, compared with room for anti-aliasing changes.
/// </summary>
public class PainterTests
{
    private static RgbaImage Background(int width, int height, bool translucent)
    {
        var image = new RgbaImage(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                Span<byte> p = image.Row(y).Slice(x * 4, 4);
                p[0] = (byte)(x * 3 % 256);
                p[1] = (byte)(y * 5 % 256);
                p[2] = (byte)((x + y) % 256);
                p[3] = translucent ? (byte)((x * 7 + y * 3) % 256) : (byte)255;
            }
        }

        return image;
    }

    private static RgbaImage Sprite()
    {
        var sprite = new RgbaImage(32, 32);
        for (int y = 0; y < 32; y++)
        {
            for (int x = 0; x < 32; x++)
            {
                int d2 = (2 * x - 31) * (2 * x - 31) + (2 * y - 31) * (2 * y - 31);
                byte alpha = d2 <= 28 * 28 ? (byte)255 : d2 <= 32 * 32 ? (byte)128 : (byte)0;
                Span<byte> p = sprite.Row(y).Slice(x * 4, 4);
                p[0] = alpha == 0 ? (byte)0 : (byte)255;
                p[1] = alpha == 0 ? (byte)0 : (byte)(x * 8);
                p[2] = alpha == 0 ? (byte)0 : (byte)(y * 8);
                p[3] = alpha;
            }
        }

        return sprite;
    }

    private static void ShouldMatchTextReference(RgbaImage actual, string name)
    {
        string path = TestFiles.Fixture("drawing", name + ".png");
        if (Environment.GetEnvironmentVariable("FACEMOJI_UPDATE_REFERENCES") == "1")
        {
            ImageCodecs.Save(actual, path);
            return;
        }

        // A FreeType or Skia update may move anti-aliased edge pixels a little; a glyph moved or missing fails.
        RgbaImage expected = ImageCodecs.Load(path);
        TolerantImageComparer.ShouldMatch(actual, expected, maxAbs: 64, maxMean: 0.5, because: name);
    }

    private static void ShouldMatchReference(RgbaImage actual, string name)
    {
        RgbaImage expected = ImageCodecs.Load(TestFiles.Fixture("drawing", name + ".png"));
        TolerantImageComparer.ShouldMatch(actual, expected, maxAbs: 1, maxMean: 0.01, because: name);
    }

    [Fact]
    public void Fills_rectangles_with_alpha_and_clipping()
    {
        RgbaImage image = Background(96, 72, translucent: true);
        Painter.FillRectangle(image, new PixelRect(10, 8, 40, 30), new Rgba32(255, 0, 0, 128));
        Painter.FillRectangle(image, new PixelRect(-5, 50, 30, 40), new Rgba32(0, 0, 255));
        Painter.FillRectangle(image, new PixelRect(60, 20, 20, 20), Rgba32.Transparent);
        ShouldMatchReference(image, "fill");
    }

    [Fact]
    public void Strokes_rectangles_inside_their_bounds()
    {
        RgbaImage image = Background(96, 72, translucent: true);
        Painter.StrokeRectangle(image, new PixelRect(5, 5, 60, 40), new Rgba32(0, 255, 0, 200), 3);
        Painter.StrokeRectangle(image, new PixelRect(50, 30, 60, 60), new Rgba32(255, 255, 0, 90), 5);
        Painter.StrokeRectangle(image, new PixelRect(70, 4, 8, 6), Rgba32.White, 4);
        ShouldMatchReference(image, "stroke");
    }

    [Fact]
    public void Fills_rounded_rectangles()
    {
        RgbaImage image = Background(96, 72, translucent: true);
        Painter.FillRoundedRectangle(image, new PixelRect(8, 10, 70, 30), 8, new Rgba32(20, 20, 20, 170));
        Painter.FillRoundedRectangle(image, new PixelRect(60, 40, 50, 50), 30, new Rgba32(200, 100, 0));
        Painter.FillRoundedRectangle(image, new PixelRect(2, 50, 20, 15), 0, new Rgba32(0, 0, 255, 100));
        ShouldMatchReference(image, "rounded");
    }

    [Theory]
    [InlineData("blend", false)]
    [InlineData("blend_translucent", true)]
    public void Blends_scaled_images_like_emoji_over_faces(string name, bool translucent)
    {
        RgbaImage image = Background(96, 72, translucent);
        RgbaImage sprite = Sprite();
        Painter.DrawImage(image, sprite, new PixelRect(20, 10, 50, 40));
        Painter.DrawImage(image, sprite, new PixelRect(70, 40, 40, 45));
        Painter.DrawImage(image, sprite, new PixelRect(5, 45, 16, 16), opacity: 0.5);
        Painter.DrawImage(image, sprite, new PixelRect(-10, -12, 30, 30));
        ShouldMatchReference(image, name);
    }

    [Fact]
    public void Strong_shrinking_averages_the_area_first()
    {
        RgbaImage image = Background(96, 72, translucent: false);
        RgbaImage sprite = Sprite();
        var big = new RgbaImage(96, 96); // the sprite with each pixel repeated 3 x 3
        for (int y = 0; y < 96; y++)
        {
            for (int x = 0; x < 96; x++)
            {
                sprite.Row(y / 3).Slice(x / 3 * 4, 4).CopyTo(big.Row(y).Slice(x * 4, 4));
            }
        }

        Painter.DrawImage(image, sprite, new PixelRect(30, 20, 10, 12));
        Painter.DrawImage(image, sprite, new PixelRect(60, 30, 7, 7), opacity: 0.8);
        Painter.DrawImage(image, big, new PixelRect(5, 5, 30, 30));
        ShouldMatchReference(image, "blend_shrink");
    }

    [Fact]
    public void Draws_text_at_integer_scales()
    {
        RgbaImage image = Background(96, 72, translucent: false);
        Painter.DrawText(image, "Happy 93%", 2, 4, Rgba32.White);
        Painter.DrawText(image, "gjpqy Ag\n2nd {line}", 4, 20, new Rgba32(0, 0, 0, 200), scale: 2);
        Painter.DrawText(image, "\u00e9!", 80, 56, new Rgba32(255, 255, 0), scale: 3);
        ShouldMatchTextReference(image, "text");
    }

    [Fact]
    public void Draws_labels_on_rounded_backgrounds()
    {
        RgbaImage image = Background(96, 72, translucent: false);
        PixelRect box = Painter.DrawLabel(image, "surprise", 6, 30, Rgba32.White, new Rgba32(0, 0, 0, 160));
        var (width, height) = LabelFont.Default.Measure("surprise", 2);
        box.Should().Be(new PixelRect(6, 30, width + 8, height + 8));
        Painter.MeasureLabel("surprise").Should().Be((box.Width, box.Height));
        ShouldMatchTextReference(image, "label");
    }

    [Fact]
    public void Opaque_image_drawn_at_its_own_size_is_copied_exactly()
    {
        RgbaImage image = Background(40, 30, translucent: false);
        RgbaImage patch = Background(12, 9, translucent: false);
        Array.Reverse(patch.Pixels);
        for (int i = 3; i < patch.Pixels.Length; i += 4)
        {
            patch.Pixels[i] = 255;
        }

        Painter.DrawImage(image, patch, new PixelRect(5, 7, 12, 9));

        for (int y = 0; y < 9; y++)
        {
            image.Row(7 + y).Slice(5 * 4, 12 * 4).ToArray().Should().Equal(patch.Row(y).ToArray());
        }
    }

    [Fact]
    public void Measures_text_in_whole_scale_steps()
    {
        LabelFont font = LabelFont.Default;
        font.Measure("", 3).Width.Should().Be(0);
        var (width, height) = font.Measure("Happy", 1);
        width.Should().BeInRange(25, 40, "five letters of a 10-pixel font");
        height.Should().Be(font.LineHeight(1)).And.BeInRange(10, 14);
        var (doubleWidth, doubleHeight) = font.Measure("Happy", 2);
        doubleWidth.Should().BeCloseTo(2 * width, 2);
        doubleHeight.Should().BeCloseTo(2 * height, 1);
        font.Measure("ab\nlonger", 1).Should().Be((font.Measure("longer", 1).Width, 2 * font.LineHeight(1)));
        font.Measure("iiii", 1).Width.Should().BeLessThan(font.Measure("WWWW", 1).Width, "a proportional font");
    }

    [Fact]
    public void Text_is_anti_aliased_and_blended_by_the_colour_alpha()
    {
        var image = new RgbaImage(60, 20);
        Painter.FillRectangle(image, new PixelRect(0, 0, 60, 20), new Rgba32(0, 0, 0));
        Painter.DrawText(image, "Mood", 2, 2, Rgba32.White, scale: 1);
        var values = Enumerable.Range(0, image.Pixels.Length / 4).Select(i => image.Pixels[i * 4]).ToList();
        values.Should().Contain(v => v == 255, "stems are fully inked");
        values.Should().Contain(v => v > 20 && v < 230, "edges are anti-aliased");

        var faint = new RgbaImage(60, 20);
        Painter.FillRectangle(faint, new PixelRect(0, 0, 60, 20), new Rgba32(0, 0, 0));
        Painter.DrawText(faint, "Mood", 2, 2, new Rgba32(255, 255, 255, 128), scale: 1);
        Enumerable.Range(0, faint.Pixels.Length / 4).Max(i => faint.Pixels[i * 4]).Should().BeInRange(126, 130);
    }

    [Fact]
    public void A_missing_font_file_is_a_clear_error()
    {
        var act = () => LabelFont.Open("/nonexistent/NoSuchFont.ttf");
        act.Should().Throw<FacemojiException>().WithMessage("*fonts-dejavu-core*FACEMOJI_FONT*");
    }
}
