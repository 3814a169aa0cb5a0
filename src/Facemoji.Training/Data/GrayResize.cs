using Facemoji.Imaging;

namespace Facemoji.Training.Data;

/// <summary>
/// Resizes a gray image into a target buffer: box-filter averaging when shrinking (each target pixel averages
/// the source area it covers, so large photos do not alias), bilinear when enlarging. Same size is a copy.
/// </summary>
internal static class GrayResize
{
    // target (height, width) bytes, row-major
    public static void Resize(GrayImage source, Span<byte> target, int width, int height)
    {
        if (source.Width == width && source.Height == height)
        {
            source.Pixels.CopyTo(target);
            return;
        }

        float scaleX = (float)source.Width / width;
        float scaleY = (float)source.Height / height;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                target[y * width + x] = scaleX > 1 || scaleY > 1
                    ? AreaAverage(source, x * scaleX, y * scaleY, (x + 1) * scaleX, (y + 1) * scaleY)
                    : Bilinear(source, (x + 0.5f) * scaleX - 0.5f, (y + 0.5f) * scaleY - 0.5f);
            }
        }
    }

    private static byte AreaAverage(GrayImage source, float x0, float y0, float x1, float y1)
    {
        // Pixel-coverage weights, exact for fractional borders.
        double sum = 0, weight = 0;
        int yStart = (int)y0, yEnd = Math.Min(source.Height, (int)Math.Ceiling(y1));
        int xStart = (int)x0, xEnd = Math.Min(source.Width, (int)Math.Ceiling(x1));
        for (int y = yStart; y < yEnd; y++)
        {
            double wy = Math.Min(y + 1, y1) - Math.Max(y, y0);
            for (int x = xStart; x < xEnd; x++)
            {
                double w = wy * (Math.Min(x + 1, x1) - Math.Max(x, x0));
                sum += w * source.Pixels[y * source.Width + x];
                weight += w;
            }
        }

        return (byte)Math.Clamp(Math.Round(sum / weight), 0, 255);
    }

    private static byte Bilinear(GrayImage source, float sx, float sy)
    {
        sx = Math.Clamp(sx, 0, source.Width - 1);
        sy = Math.Clamp(sy, 0, source.Height - 1);
        int x0 = (int)sx, y0 = (int)sy;
        int x1 = Math.Min(x0 + 1, source.Width - 1), y1 = Math.Min(y0 + 1, source.Height - 1);
        float fx = sx - x0, fy = sy - y0;
        var p = source.Pixels;
        int w = source.Width;
        float top = p[y0 * w + x0] + fx * (p[y0 * w + x1] - p[y0 * w + x0]);
        float bottom = p[y1 * w + x0] + fx * (p[y1 * w + x1] - p[y1 * w + x0]);
        return (byte)Math.Clamp(MathF.Round(top + fy * (bottom - top)), 0, 255);
    }
}
