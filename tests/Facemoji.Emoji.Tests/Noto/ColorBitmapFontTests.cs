using System.Buffers.Binary;
using Facemoji.Emoji.Noto;
using Facemoji.Engine;
using Facemoji.Expressions;

namespace Facemoji.Emoji.Tests.Noto;

public class ColorBitmapFontTests
{
    /// <summary>Debian's fonts-noto-color-emoji, which tools/setup.sh installs: without it these tests fail, not pass.</summary>
    private static ColorBitmapFont OpenSystemFont()
    {
        File.Exists(NotoPack.DefaultFontPath).Should().BeTrue($"{NotoPack.DefaultFontPath} is installed by tools/setup.sh (fonts-noto-color-emoji)");
        return ColorBitmapFont.Open(NotoPack.DefaultFontPath);
    }

    [Fact]
    public void Every_mapped_emoji_is_in_the_cmap_and_has_an_embedded_png()
    {
        var font = OpenSystemFont();

        font.PixelsPerEm.Should().BeGreaterThan(0);
        foreach (Emotion emotion in Enum.GetValues<Emotion>())
        {
            foreach (Intensity intensity in Enum.GetValues<Intensity>())
            {
                int codepoint = UnicodeEmoji.Codepoint(emotion, intensity);
                font.GlyphOf(codepoint).Should().NotBeNull($"{UnicodeEmoji.Describe(codepoint)} ({emotion}/{intensity}) must be in the cmap");
                byte[] png = font.PngOf(codepoint);
                png.AsSpan(0, 8).ToArray().Should().Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
                System.Text.Encoding.ASCII.GetString(png, 12, 4).Should().Be("IHDR");
                int width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20));
                width.Should().BeInRange(64, 512);
                height.Should().BeInRange(64, 512);
            }
        }
    }

    [Fact]
    public void A_codepoint_the_font_lacks_is_a_clear_error()
    {
        var font = OpenSystemFont();

        font.GlyphOf(0x41).Should().BeNull("Noto Color Emoji has no Latin letters");
        var act = () => font.PngOf(0xE000);
        act.Should().Throw<FacemojiException>().WithMessage("*no glyph for U+E000*");
    }

    [Fact]
    public void A_truncated_font_is_a_clear_error_not_a_crash()
    {
        _ = OpenSystemFont(); // fails with the set-up hint when the font is missing

        byte[] whole = File.ReadAllBytes(NotoPack.DefaultFontPath);
        foreach (int length in new[] { 0, 11, 200, 5000, whole.Length / 2 })
        {
            var act = () => ColorBitmapFont.Parse(whole.AsSpan(0, length).ToArray(), "cut.ttf");
            act.Should().Throw<FacemojiException>().WithMessage("*cut.ttf*");
        }
    }

    [Fact]
    public void A_file_that_is_not_a_font_is_a_clear_error()
    {
        var act = () => ColorBitmapFont.Parse(System.Text.Encoding.ASCII.GetBytes("this is a text file, not a font at all"), "notes.txt");
        act.Should().Throw<FacemojiException>().WithMessage("*notes.txt*not a TrueType/OpenType font*");
    }

    [Fact]
    public void A_missing_font_file_says_how_to_install_noto()
    {
        var act = () => NotoPack.Open("/nonexistent/NotoColorEmoji.ttf");
        act.Should().Throw<FacemojiException>().WithMessage("*apt-get install fonts-noto-color-emoji*");
    }
}
