using System.Collections.Concurrent;
using Facemoji.Expressions;
using Facemoji.Imaging;
using Facemoji.Imaging.Formats.Png;

namespace Facemoji.Emoji.Noto;

/// <summary>
/// The <c>noto</c> pack: the bitmaps of the system's Noto Color Emoji font (Debian fonts-noto-color-emoji),
/// one codepoint per emotion and intensity as listed in <see cref="UnicodeEmoji"/>. The embedded PNGs
/// (136x128 at 109 ppem) are decoded once and scaled to the requested square.
/// </summary>
internal sealed class NotoPack : IEmojiPack
{
    /// <summary>The name users type: <c>--pack noto</c>.</summary>
    public const string PackName = "noto";

    /// <summary>Where Debian installs the font.</summary>
    public const string DefaultFontPath = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf";

    /// <summary>Environment variable that points at another copy of the font.</summary>
    public const string FontPathVariable = "FACEMOJI_NOTO_FONT";

    private readonly ColorBitmapFont font;
    private readonly string fontPath;
    private readonly ConcurrentDictionary<int, RgbaImage> decoded = new();

    private NotoPack(ColorBitmapFont font, string fontPath)
    {
        this.font = font;
        this.fontPath = fontPath;
    }

    public string Name => PackName;

    public string Description => $"Noto Color Emoji bitmaps from {fontPath} (Google, SIL Open Font License 1.1).";

    /// <summary>
    /// Opens the font at <paramref name="fontPath"/>, else at <c>$FACEMOJI_NOTO_FONT</c>, else at
    /// <see cref="DefaultFontPath"/>. A missing font is a <see cref="FacemojiException"/> that says how to install it.
    /// </summary>
    public static NotoPack Open(string? fontPath = null)
    {
        string path = fontPath ?? Environment.GetEnvironmentVariable(FontPathVariable) ?? DefaultFontPath;
        if (!File.Exists(path))
        {
            throw new FacemojiException(
                $"The noto emoji pack needs the Noto Color Emoji font, and '{path}' does not exist. " +
                $"Install it with: sudo apt-get install fonts-noto-color-emoji (or point {FontPathVariable} at NotoColorEmoji.ttf, or use --pack facemoji).");
        }

        return new NotoPack(ColorBitmapFont.Open(path), path);
    }

    public RgbaImage Render(Emotion emotion, Intensity intensity, int size)
    {
        // Only the decoded bitmaps are cached: face boxes in a video take every size, and scaling 136x128 is cheap.
        return EmojiImages.FitSquare(Bitmap(UnicodeEmoji.Codepoint(emotion, intensity)), size);
    }

    public RgbaImage Render(ExpressionReading reading, int size) => Render(reading.Emotion, reading.Intensity, size);

    /// <summary>The glyph's bitmap at the font's own size (136x128 for Noto).</summary>
    public RgbaImage Bitmap(int codepoint) =>
        decoded.GetOrAdd(codepoint, c => PngDecoder.Decode(font.PngOf(c), $"{fontPath} U+{c:X4}"));
}
