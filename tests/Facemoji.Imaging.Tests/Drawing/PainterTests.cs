using Facemoji.Imaging.Drawing;
using Facemoji.Imaging.Formats.Png;
using Facemoji.Imaging.Tests.Support;

namespace Facemoji.Imaging.Tests.Drawing;

/// <summary>Each scene is drawn here and by tools/make_imaging_fixtures.py (numpy, independently); the renders must agree.</summary>
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

    private static void ShouldMatchReference(RgbaImage actual, string name)
    {
        RgbaImage expected = PngDecoder.Decode(File.ReadAllBytes(TestFiles.Fixture("drawing", name + ".png")), name);
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
        Painter.DrawText(image, "\u00e9!", 80, 60, new Rgba32(255, 255, 0), scale: 3);
        ShouldMatchReference(image, "text");
    }

    [Fact]
    public void Draws_labels_on_rounded_backgrounds()
    {
        RgbaImage image = Background(96, 72, translucent: false);
        PixelRect box = Painter.DrawLabel(image, "surprise", 6, 30, Rgba32.White, new Rgba32(0, 0, 0, 160));
        box.Should().Be(new PixelRect(6, 30, 8 * 12 - 2 + 8, 18 + 8));
        Painter.MeasureLabel("surprise").Should().Be((box.Width, box.Height));
        ShouldMatchReference(image, "label");
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
    public void Measures_text()
    {
        BitmapFont font = BitmapFont.Default;
        font.Measure("", 3).Should().Be((0, 0));
        font.Measure("A", 1).Should().Be((5, 9));
        font.Measure("Happy", 2).Should().Be(((5 * 6 - 1) * 2, 18));
        font.Measure("ab\nlonger", 1).Should().Be((6 * 6 - 1, 11 + 9));
        font.HasInk('A', 0, 6).Should().BeTrue();
        font.HasInk('A', 2, 4).Should().BeTrue();
        font.HasInk('A', 2, 5).Should().BeFalse();
        font.HasInk('g', 1, 8).Should().BeTrue("g has a descender");
        font.HasInk('\u00e9', 2, 6).Should().Be(font.HasInk('?', 2, 6), "non-ASCII draws as '?'");
    }

    [Fact]
    public void Every_printable_ascii_character_has_ink_except_space()
    {
        for (char c = '!'; c <= '~'; c++)
        {
            bool any = false;
            for (int y = 0; y < BitmapFont.GlyphHeight; y++)
            {
                for (int x = 0; x < BitmapFont.GlyphWidth; x++)
                {
                    any |= BitmapFont.Default.HasInk(c, x, y);
                }
            }

            any.Should().BeTrue($"'{c}' needs a glyph");
        }
    }
}
