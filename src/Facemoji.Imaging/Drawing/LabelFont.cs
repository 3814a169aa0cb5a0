using SkiaSharp;

namespace Facemoji.Imaging.Drawing;

/// <summary>
/// The font of labels, panels and contact sheets: DejaVu Sans (Debian's fonts-dejavu-core; Noto Sans where that is
/// what is installed), drawn by Skia with grayscale anti-aliasing. Sizes come in whole <c>scale</c> steps, as the
/// callers think of them: scale 1 is a 10-pixel font (capitals about 7 pixels tall), scale 2 twice that. Text is
/// rendered to a coverage mask and blended into the <see cref="RgbaImage"/> with <see cref="PixelBlender"/>, like
/// every other drawing. The font file is read once; the typeface is thread-safe.
/// </summary>
public sealed class LabelFont
{
    /// <summary>Pixels of font size per scale step.</summary>
    public const float PixelsPerScale = 10f;

    /// <summary>Environment variable that points at another TrueType font.</summary>
    public const string FontPathVariable = "FACEMOJI_FONT";

    /// <summary>Where Debian installs the fonts tried in turn: DejaVu Sans, then Noto Sans.</summary>
    public static readonly IReadOnlyList<string> DefaultPaths =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    ];

    private static readonly Lazy<LabelFont> DefaultFont = new(() => Open(null));

    private readonly SKTypeface typeface;

    private LabelFont(SKTypeface typeface, string path)
    {
        this.typeface = typeface;
        Path = path;
    }

    /// <summary>The font every drawing uses unless given another; see <see cref="Open"/>.</summary>
    public static LabelFont Default => DefaultFont.Value;

    /// <summary>The font file.</summary>
    public string Path { get; }

    /// <summary>
    /// Opens <paramref name="path"/>, else <c>$FACEMOJI_FONT</c>, else the first of <see cref="DefaultPaths"/> that
    /// exists. A missing or unreadable font is a <see cref="FacemojiException"/> that says how to install one.
    /// </summary>
    public static LabelFont Open(string? path)
    {
        path ??= Environment.GetEnvironmentVariable(FontPathVariable) is { Length: > 0 } variable
            ? variable
            : DefaultPaths.FirstOrDefault(File.Exists);
        if (path is null || !File.Exists(path))
        {
            throw new FacemojiException(
                $"Facemoji draws its labels in DejaVu Sans and found no font at {path ?? string.Join(" or ", DefaultPaths)}. " +
                $"Install it with: sudo apt-get install fonts-dejavu-core (or point {FontPathVariable} at a .ttf file).");
        }

        SKTypeface typeface = SKTypeface.FromFile(path)
            ?? throw new FacemojiException($"{path}: not a font Skia can read (point {FontPathVariable} at a TrueType .ttf file)");
        return new LabelFont(typeface, path);
    }

    /// <summary>Distance from one line's top to the next, in pixels.</summary>
    public int LineHeight(int scale)
    {
        using SKFont font = Font(scale);
        return (int)MathF.Ceiling(font.Spacing);
    }

    /// <summary>
    /// The box <see cref="Draw"/> fills for <paramref name="text"/> ('\n' starts a line): the widest line's advance,
    /// and the line height per line.
    /// </summary>
    public (int Width, int Height) Measure(string text, int scale)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        using SKFont font = Font(scale);
        string[] lines = text.Split('\n');
        float width = lines.Max(line => font.MeasureText(line));
        return ((int)MathF.Ceiling(width), lines.Length * (int)MathF.Ceiling(font.Spacing));
    }

    /// <summary>Draws <paramref name="text"/> with the top-left corner of its box at (x, y), blended by coverage times alpha.</summary>
    public unsafe void Draw(RgbaImage image, string text, int x, int y, Rgba32 color, int scale)
    {
        var (width, height) = Measure(text, scale);
        // A little room on each side for anti-aliased edges and glyphs that reach past their advance.
        int pad = scale + 1;
        PixelRect mask = new PixelRect(x - pad, y - pad, width + 2 * pad, height + 2 * pad);
        PixelRect visible = mask.ClipTo(image.Width, image.Height);
        if (visible.Width <= 0 || visible.Height <= 0 || color.A == 0 || text.Length == 0)
        {
            return;
        }

        byte[] coverage = new byte[mask.Width * mask.Height];
        fixed (byte* pixels = coverage)
        {
            using var surface = SKSurface.Create(new SKImageInfo(mask.Width, mask.Height, SKColorType.Alpha8, SKAlphaType.Premul), (nint)pixels, mask.Width)
                ?? throw new FacemojiException($"Skia could not make a {mask.Width}x{mask.Height} text mask");
            using SKFont font = Font(scale);
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            int lineHeight = (int)MathF.Ceiling(font.Spacing);
            float baseline = pad + MathF.Ceiling(-font.Metrics.Ascent);
            string[] lines = text.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                surface.Canvas.DrawText(lines[i], pad, baseline + i * lineHeight, SKTextAlign.Left, font, paint);
            }

            surface.Flush();
        }

        for (int row = visible.Y; row < visible.Bottom; row++)
        {
            Span<byte> target = image.Row(row);
            ReadOnlySpan<byte> cover = coverage.AsSpan((row - mask.Y) * mask.Width, mask.Width);
            for (int column = visible.X; column < visible.Right; column++)
            {
                int c = cover[column - mask.X];
                if (c != 0)
                {
                    PixelBlender.Over(target.Slice(column * 4, 4), color.R, color.G, color.B, c * color.A / 255.0);
                }
            }
        }
    }

    private SKFont Font(int scale) => new(typeface, PixelsPerScale * scale)
    {
        Edging = SKFontEdging.Antialias,
        Hinting = SKFontHinting.Slight,
        Subpixel = true,
    };
}
