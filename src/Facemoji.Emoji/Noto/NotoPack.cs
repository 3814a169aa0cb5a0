using System.Collections.Concurrent;
using Facemoji.Expressions;
using Facemoji.Imaging;
using SkiaSharp;

namespace Facemoji.Emoji.Noto;

/// <summary>
/// The <c>noto</c> pack: the system's Noto Color Emoji font (Debian fonts-noto-color-emoji), one codepoint per
/// emotion and intensity as listed in <see cref="UnicodeEmoji"/>. Skia draws each glyph once at the font's own
/// bitmap size (109 ppem, about 136x128, so the embedded colour bitmap lands unscaled), and the result is scaled to
/// the requested square.
/// </summary>
public sealed class NotoPack : IEmojiPack
{
    /// <summary>The name users type: <c>--pack noto</c>.</summary>
    public const string PackName = "noto";

    /// <summary>Where Debian installs the font.</summary>
    public const string DefaultFontPath = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf";

    /// <summary>Environment variable that points at another copy of the font.</summary>
    public const string FontPathVariable = "FACEMOJI_NOTO_FONT";

    /// <summary>The ppem of Noto Color Emoji's one bitmap strike: drawn at it, Skia copies the bitmaps unscaled.</summary>
    public const float StrikeSize = 109;

    private readonly SKTypeface typeface;
    private readonly string fontPath;
    private readonly ConcurrentDictionary<int, RgbaImage> drawn = new();

    private NotoPack(SKTypeface typeface, string fontPath)
    {
        this.typeface = typeface;
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

        SKTypeface typeface = SKTypeface.FromFile(path)
            ?? throw new FacemojiException($"{path}: not a font Skia can read (the noto pack needs NotoColorEmoji.ttf; or use --pack facemoji)");
        using (var font = new SKFont(typeface, StrikeSize))
        {
            if (font.GetGlyph(UnicodeEmoji.Codepoint(Emotion.Happy, Intensity.Clear)) == 0)
            {
                throw new FacemojiException($"{path}: this font has no emoji (the noto pack needs NotoColorEmoji.ttf; or use --pack facemoji)");
            }
        }

        return new NotoPack(typeface, path);
    }

    public RgbaImage Render(Emotion emotion, Intensity intensity, int size)
    {
        // Only the glyphs at strike size are cached: face boxes in a video take every size, and scaling 136x128 is cheap.
        return EmojiImages.FitSquare(Bitmap(UnicodeEmoji.Codepoint(emotion, intensity)), size);
    }

    public RgbaImage Render(ExpressionReading reading, int size) => Render(reading.Emotion, reading.Intensity, size);

    /// <summary>The glyph drawn at the font's own bitmap size (about 136x128 for Noto), straight alpha.</summary>
    public RgbaImage Bitmap(int codepoint) => drawn.GetOrAdd(codepoint, Draw);

    private unsafe RgbaImage Draw(int codepoint)
    {
        using var font = new SKFont(typeface, StrikeSize);
        if (font.GetGlyph(codepoint) == 0)
        {
            throw new FacemojiException($"{fontPath}: the font has no glyph for {UnicodeEmoji.Describe(codepoint)}");
        }

        string text = char.ConvertFromUtf32(codepoint);
        font.MeasureText(text, out SKRect bounds);
        int width = (int)MathF.Ceiling(bounds.Right) - (int)MathF.Floor(bounds.Left);
        int height = (int)MathF.Ceiling(bounds.Bottom) - (int)MathF.Floor(bounds.Top);
        if (width <= 0 || height <= 0)
        {
            throw new FacemojiException($"{fontPath}: the glyph for {UnicodeEmoji.Describe(codepoint)} is empty");
        }

        var image = new RgbaImage(width, height);
        fixed (byte* pixels = image.Pixels)
        {
            using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul), (nint)pixels, width * 4)
                ?? throw new FacemojiException($"Skia could not make a {width}x{height} surface for an emoji");
            using var paint = new SKPaint { IsAntialias = true };
            surface.Canvas.DrawText(text, -MathF.Floor(bounds.Left), -MathF.Floor(bounds.Top), SKTextAlign.Left, font, paint);
            surface.Flush();
        }

        Unpremultiply(image.Pixels);
        return image;
    }

    // Skia draws premultiplied; RgbaImage holds straight alpha.
    private static void Unpremultiply(Span<byte> pixels)
    {
        for (int i = 0; i < pixels.Length; i += 4)
        {
            int a = pixels[i + 3];
            if (a is not (0 or 255))
            {
                pixels[i] = (byte)Math.Min(255, (pixels[i] * 255 + a / 2) / a);
                pixels[i + 1] = (byte)Math.Min(255, (pixels[i + 1] * 255 + a / 2) / a);
                pixels[i + 2] = (byte)Math.Min(255, (pixels[i + 2] * 255 + a / 2) / a);
            }
        }
    }
}
