
namespace Facemoji.Imaging.Drawing;

/// <summary>
/// Drawing on <see cref="RgbaImage"/>: rectangles (filled, stroked, rounded), images blended in with bilinear
/// scaling (how emoji cover faces), and anti-aliased text in <see cref="LabelFont"/>. Everything blends "source over"
/// (<see cref="PixelBlender"/>), clips at the image edges (shapes may stick out) and is deterministic.
/// </summary>
public static class Painter
{
    /// <summary>Fills <paramref name="rect"/> with <paramref name="color"/>, blended by its alpha.</summary>
    public static void FillRectangle(RgbaImage image, PixelRect rect, Rgba32 color)
    {
        PixelRect visible = rect.ClipTo(image.Width, image.Height);
        if (visible.Width <= 0 || visible.Height <= 0 || color.A == 0)
        {
            return;
        }

        ParallelRows.For(visible.Height, 64, new FillRows(image, visible, color));
    }

    /// <summary>Draws the outline of <paramref name="rect"/>, <paramref name="thickness"/> pixels wide, inside the rectangle (a face box stays on the face).</summary>
    public static void StrokeRectangle(RgbaImage image, PixelRect rect, Rgba32 color, int thickness)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(thickness);
        if (rect.Width <= 0 || rect.Height <= 0)
        {
            return;
        }

        if (thickness * 2 >= rect.Width || thickness * 2 >= rect.Height)
        {
            FillRectangle(image, rect, color);
            return;
        }

        // Four pieces that do not overlap, so that translucent corners are not blended twice.
        FillRectangle(image, new PixelRect(rect.X, rect.Y, rect.Width, thickness), color);
        FillRectangle(image, new PixelRect(rect.X, rect.Bottom - thickness, rect.Width, thickness), color);
        FillRectangle(image, new PixelRect(rect.X, rect.Y + thickness, thickness, rect.Height - 2 * thickness), color);
        FillRectangle(image, new PixelRect(rect.Right - thickness, rect.Y + thickness, thickness, rect.Height - 2 * thickness), color);
    }

    /// <summary>
    /// Fills a rectangle with corners rounded to <paramref name="radius"/> (at most half the shorter side).
    /// A pixel is inside when its centre is; no anti-aliasing, so the result is exact and reproducible.
    /// </summary>
    public static void FillRoundedRectangle(RgbaImage image, PixelRect rect, int radius, Rgba32 color)
    {
        PixelRect visible = rect.ClipTo(image.Width, image.Height);
        if (visible.Width <= 0 || visible.Height <= 0 || color.A == 0)
        {
            return;
        }

        radius = Math.Clamp(radius, 0, Math.Min(rect.Width, rect.Height) / 2);
        ParallelRows.For(visible.Height, 64, new RoundedRows(image, rect, visible, radius, color));
    }

    /// <summary>
    /// Blends <paramref name="source"/> over <paramref name="destination"/>, scaled to fill <paramref name="target"/>
    /// (which may stick out of the image). Sampling is bilinear with OpenCV's pixel-centre convention on
    /// premultiplied colour, so transparent pixels do not bleed dark fringes; <paramref name="opacity"/> (0..1)
    /// fades the whole image. Shrinking by more than 2 in either direction first averages the premultiplied source
    /// down to the target size (INTER_AREA), so that a large emoji on a small face does not alias.
    /// </summary>
    public static void DrawImage(RgbaImage destination, RgbaImage source, PixelRect target, double opacity = 1.0)
    {
        PixelRect visible = target.ClipTo(destination.Width, destination.Height);
        if (visible.Width <= 0 || visible.Height <= 0 || target.Width <= 0 || target.Height <= 0 || !(opacity > 0))
        {
            return;
        }

        bool premultiplied = false;
        if (source.Width > 2 * target.Width || source.Height > 2 * target.Height)
        {
            source = Processing.Resizer.Resize(Premultiply(source), target.Width, target.Height, Processing.ResizeMode.Area);
            premultiplied = true;
        }

        ParallelRows.For(visible.Height, 16, new ImageRows(destination, source, target, visible, Math.Min(opacity, 1.0), premultiplied));
    }

    /// <summary>A copy with each colour component times alpha / 255, rounded: c' = (c * a + 127) / 255.</summary>
    internal static RgbaImage Premultiply(RgbaImage image)
    {
        var result = new RgbaImage(image.Width, image.Height);
        byte[] s = image.Pixels, d = result.Pixels;
        for (int i = 0; i < s.Length; i += 4)
        {
            int a = s[i + 3];
            d[i] = (byte)((s[i] * a + 127) / 255);
            d[i + 1] = (byte)((s[i + 1] * a + 127) / 255);
            d[i + 2] = (byte)((s[i + 2] * a + 127) / 255);
            d[i + 3] = (byte)a;
        }

        return result;
    }

    /// <summary>
    /// Draws <paramref name="text"/> with its top-left corner at (x, y); '\n' starts a new line. The text is
    /// anti-aliased, <see cref="LabelFont.PixelsPerScale"/> pixels of font size per <paramref name="scale"/> step;
    /// see <see cref="LabelFont.Measure"/> for the size.
    /// </summary>
    public static void DrawText(RgbaImage image, string text, int x, int y, Rgba32 color, int scale = 1, LabelFont? font = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        (font ?? LabelFont.Default).Draw(image, text, x, y, color, scale);
    }

    /// <summary>
    /// Draws a label: a rounded background box with <paramref name="text"/> inside, its top-left corner at (x, y).
    /// Padding defaults to 2 pixels per scale step, the corner radius to 3. Returns the box (before clipping).
    /// </summary>
    public static PixelRect DrawLabel(RgbaImage image, string text, int x, int y, Rgba32 textColor, Rgba32 background,
        int scale = 2, int? padding = null, int? radius = null, LabelFont? font = null)
    {
        font ??= LabelFont.Default;
        int pad = padding ?? 2 * scale;
        var (width, height) = font.Measure(text, scale);
        var box = new PixelRect(x, y, width + 2 * pad, height + 2 * pad);
        FillRoundedRectangle(image, box, radius ?? 3 * scale, background);
        DrawText(image, text, x + pad, y + pad, textColor, scale, font);
        return box;
    }

    /// <summary>The size <see cref="DrawLabel"/> gives <paramref name="text"/>, to place a label before drawing it.</summary>
    public static (int Width, int Height) MeasureLabel(string text, int scale = 2, int? padding = null, LabelFont? font = null)
    {
        int pad = padding ?? 2 * scale;
        var (width, height) = (font ?? LabelFont.Default).Measure(text, scale);
        return (width + 2 * pad, height + 2 * pad);
    }

    // image (H, W*4): rows of the visible part of the rectangle
    private readonly struct FillRows(RgbaImage image, PixelRect visible, Rgba32 color) : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            for (int j = start; j < end; j++)
            {
                Span<byte> row = image.Row(visible.Y + j);
                for (int x = visible.X; x < visible.Right; x++)
                {
                    PixelBlender.Over(row.Slice(x * 4, 4), color.R, color.G, color.B, color.A);
                }
            }
        }
    }

    // image (H, W*4); the test is done at doubled coordinates so that pixel centres (x + 0.5) stay integers.
    private readonly struct RoundedRows(RgbaImage image, PixelRect rect, PixelRect visible, int radius, Rgba32 color) : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            long r2 = 4L * radius * radius;
            int left = 2 * (rect.X + radius), right = 2 * (rect.Right - radius);
            int top = 2 * (rect.Y + radius), bottom = 2 * (rect.Bottom - radius);
            for (int j = start; j < end; j++)
            {
                int y = visible.Y + j;
                int py = 2 * y + 1;
                long dy = py - Math.Clamp(py, top, bottom);
                Span<byte> row = image.Row(y);
                for (int x = visible.X; x < visible.Right; x++)
                {
                    int px = 2 * x + 1;
                    long dx = px - Math.Clamp(px, left, right);
                    if (dx * dx + dy * dy <= r2)
                    {
                        PixelBlender.Over(row.Slice(x * 4, 4), color.R, color.G, color.B, color.A);
                    }
                }
            }
        }
    }

    // destination (H, W*4) <- source (h, w*4) scaled to target; rows of the visible part. A premultiplied source
    // already holds colour times alpha, so the taps are weighted by position only.
    private readonly struct ImageRows(RgbaImage destination, RgbaImage source, PixelRect target, PixelRect visible, double opacity, bool premultiplied) : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            double scaleX = (double)source.Width / target.Width, scaleY = (double)source.Height / target.Height;
            for (int j = start; j < end; j++)
            {
                int y = visible.Y + j;
                var (sy0, sy1, fy) = Sample(y - target.Y, scaleY, source.Height);
                ReadOnlySpan<byte> upper = source.Row(sy0), lower = source.Row(sy1);
                Span<byte> row = destination.Row(y);
                for (int x = visible.X; x < visible.Right; x++)
                {
                    var (sx0, sx1, fx) = Sample(x - target.X, scaleX, source.Width);
                    double w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
                    double a00 = upper[sx0 * 4 + 3] / 255.0, a01 = upper[sx1 * 4 + 3] / 255.0;
                    double a10 = lower[sx0 * 4 + 3] / 255.0, a11 = lower[sx1 * 4 + 3] / 255.0;
                    double alpha = (w00 * a00 + w01 * a01 + w10 * a10 + w11 * a11) * opacity;
                    if (alpha <= 0)
                    {
                        continue;
                    }

                    if (premultiplied)
                    {
                        double r0 = (w00 * upper[sx0 * 4] + w01 * upper[sx1 * 4] + w10 * lower[sx0 * 4] + w11 * lower[sx1 * 4]) * opacity;
                        double g0 = (w00 * upper[sx0 * 4 + 1] + w01 * upper[sx1 * 4 + 1] + w10 * lower[sx0 * 4 + 1] + w11 * lower[sx1 * 4 + 1]) * opacity;
                        double b0 = (w00 * upper[sx0 * 4 + 2] + w01 * upper[sx1 * 4 + 2] + w10 * lower[sx0 * 4 + 2] + w11 * lower[sx1 * 4 + 2]) * opacity;
                        PixelBlender.OverPremultiplied(row.Slice(x * 4, 4), r0, g0, b0, alpha);
                        continue;
                    }

                    // Premultiplied colour (component times alpha, 0..255).
                    double r = (w00 * a00 * upper[sx0 * 4] + w01 * a01 * upper[sx1 * 4] + w10 * a10 * lower[sx0 * 4] + w11 * a11 * lower[sx1 * 4]) * opacity;
                    double g = (w00 * a00 * upper[sx0 * 4 + 1] + w01 * a01 * upper[sx1 * 4 + 1] + w10 * a10 * lower[sx0 * 4 + 1] + w11 * a11 * lower[sx1 * 4 + 1]) * opacity;
                    double b = (w00 * a00 * upper[sx0 * 4 + 2] + w01 * a01 * upper[sx1 * 4 + 2] + w10 * a10 * lower[sx0 * 4 + 2] + w11 * a11 * lower[sx1 * 4 + 2]) * opacity;
                    PixelBlender.OverPremultiplied(row.Slice(x * 4, 4), r, g, b, alpha);
                }
            }
        }

        // OpenCV's INTER_LINEAR mapping: centre-aligned, edges replicated.
        private static (int S0, int S1, double Fraction) Sample(int d, double scale, int size)
        {
            double f = (d + 0.5) * scale - 0.5;
            int s = (int)Math.Floor(f);
            f -= s;
            if (s < 0)
            {
                return (0, 0, 0);
            }

            if (s >= size - 1)
            {
                return (size - 1, size - 1, 0);
            }

            return (s, s + 1, f);
        }
    }
}
