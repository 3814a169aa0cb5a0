using Facemoji.Emoji.Noto;
using Facemoji.Expressions;

namespace Facemoji.Emoji.Tests.Noto;

/// <summary>The noto pack as Skia draws it from NotoColorEmoji.ttf (installed by setup: fonts-noto-color-emoji).</summary>
public sealed class NotoPackTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "facemoji-noto-" + Guid.NewGuid().ToString("N"));

    public NotoPackTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static NotoPack? OpenSystemFont() => File.Exists(NotoPack.DefaultFontPath) ? NotoPack.Open(NotoPack.DefaultFontPath) : null;

    [Fact]
    public void Every_mapped_emoji_is_drawn_in_colour_at_the_strike_size()
    {
        var pack = OpenSystemFont();
        if (pack is null)
        {
            return; // Debian's fonts-noto-color-emoji is part of the project's set-up
        }

        foreach (Emotion emotion in Enum.GetValues<Emotion>())
        {
            foreach (Intensity intensity in Enum.GetValues<Intensity>())
            {
                var bitmap = pack.Bitmap(UnicodeEmoji.Codepoint(emotion, intensity));
                bitmap.Width.Should().BeInRange(120, 150, $"{emotion}/{intensity} at 109 ppem");
                bitmap.Height.Should().BeInRange(110, 150);
                int opaque = 0, coloured = 0;
                for (int i = 0; i < bitmap.Pixels.Length; i += 4)
                {
                    opaque += bitmap.Pixels[i + 3] == 255 ? 1 : 0;
                    coloured += Math.Abs(bitmap.Pixels[i] - bitmap.Pixels[i + 2]) > 60 ? 1 : 0;
                }

                opaque.Should().BeGreaterThan(bitmap.Width * bitmap.Height / 3, "the face fills much of its box");
                coloured.Should().BeGreaterThan(bitmap.Width * bitmap.Height / 5, "a colour bitmap, not a gray outline");
                pack.Render(emotion, intensity, 48).Width.Should().Be(48);
            }
        }
    }

    [Fact]
    public void A_codepoint_the_font_lacks_is_a_clear_error()
    {
        var pack = OpenSystemFont();
        if (pack is null)
        {
            return;
        }

        var act = () => pack.Bitmap(0xE000);
        act.Should().Throw<FacemojiException>().WithMessage("*no glyph for U+E000*");
    }

    [Fact]
    public void A_truncated_font_is_a_clear_error_or_still_draws_never_a_crash()
    {
        if (!File.Exists(NotoPack.DefaultFontPath))
        {
            return;
        }

        byte[] whole = File.ReadAllBytes(NotoPack.DefaultFontPath);
        foreach (int length in new[] { 0, 11, 200, 5000, whole.Length / 2 })
        {
            string cut = Path.Combine(folder, $"cut-{length}.ttf");
            File.WriteAllBytes(cut, whole.AsSpan(0, length).ToArray());
            try
            {
                NotoPack.Open(cut).Render(Emotion.Happy, Intensity.Clear, 64).Width.Should().Be(64);
            }
            catch (FacemojiException e)
            {
                e.Message.Should().Contain(cut);
            }
        }
    }

    [Fact]
    public void A_file_that_is_not_a_font_is_a_clear_error()
    {
        string notes = Path.Combine(folder, "notes.txt");
        File.WriteAllText(notes, "this is a text file, not a font at all");
        var act = () => NotoPack.Open(notes);
        act.Should().Throw<FacemojiException>().WithMessage($"{notes}: not a font*");
    }

    [Fact]
    public void A_missing_font_file_says_how_to_install_noto()
    {
        var act = () => NotoPack.Open("/nonexistent/NotoColorEmoji.ttf");
        act.Should().Throw<FacemojiException>().WithMessage("*apt-get install fonts-noto-color-emoji*");
    }
}
