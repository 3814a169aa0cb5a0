namespace Facemoji.Imaging.Processing;

/// <summary>
/// Turns an image stored with an EXIF orientation (tag 0x0112, values 1 to 8) upright, as viewers show it:
/// 2 mirror left-right, 3 rotate 180, 4 mirror top-bottom, 5 transpose, 6 rotate 90 clockwise,
/// 7 transverse, 8 rotate 90 counter-clockwise. 1 (and anything unknown) returns the image itself.
/// </summary>
internal static class ExifOrientation
{
    public static RgbaImage Apply(RgbaImage image, int orientation)
    {
        if (orientation is < 2 or > 8)
        {
            return image;
        }

        var (width, height) = OutputSize(image.Width, image.Height, orientation);
        var result = new RgbaImage(width, height);
        Transform(
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(image.Pixels.AsSpan()),
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(result.Pixels.AsSpan()),
            image.Width, image.Height, orientation);
        return result;
    }

    public static GrayImage Apply(GrayImage image, int orientation)
    {
        if (orientation is < 2 or > 8)
        {
            return image;
        }

        var (width, height) = OutputSize(image.Width, image.Height, orientation);
        var result = new GrayImage(width, height);
        Transform<byte>(image.Pixels, result.Pixels, image.Width, image.Height, orientation);
        return result;
    }

    private static (int Width, int Height) OutputSize(int width, int height, int orientation) =>
        orientation >= 5 ? (height, width) : (width, height);

    // source (h, w) -> destination (w, h) for 5..8, (h, w) otherwise; each source pixel (x, y) lands at (dx, dy).
    private static void Transform<T>(ReadOnlySpan<T> source, Span<T> destination, int w, int h, int orientation)
    {
        int outWidth = orientation >= 5 ? h : w;
        for (int y = 0; y < h; y++)
        {
            ReadOnlySpan<T> row = source.Slice(y * w, w);
            for (int x = 0; x < w; x++)
            {
                var (dx, dy) = orientation switch
                {
                    2 => (w - 1 - x, y),
                    3 => (w - 1 - x, h - 1 - y),
                    4 => (x, h - 1 - y),
                    5 => (y, x),
                    6 => (h - 1 - y, x),
                    7 => (h - 1 - y, w - 1 - x),
                    _ => (y, w - 1 - x),
                };
                destination[dy * outWidth + dx] = row[x];
            }
        }
    }
}
