
namespace Facemoji.Imaging.Processing;

/// <summary>Conversions between RGBA and gray, row-parallel.</summary>
public static class ColorConversion
{
    /// <summary>RGBA to gray with OpenCV's fixed-point BT.601 weights (<see cref="GrayWeights"/>); alpha is ignored, as in cvtColor RGBA2GRAY.</summary>
    public static GrayImage ToGray(RgbaImage image)
    {
        var gray = new GrayImage(image.Width, image.Height);
        ParallelRows.For(image.Height, 64, new ToGrayRows(image, gray));
        return gray;
    }

    /// <summary>
    /// <see cref="ToGray(RgbaImage)"/> into <paramref name="destination"/> (the same size), for a caller that converts
    /// image after image of one size and keeps one buffer instead of allocating a large one each time.
    /// </summary>
    public static GrayImage ToGray(RgbaImage image, GrayImage destination)
    {
        if (destination.Width != image.Width || destination.Height != image.Height)
        {
            throw new ArgumentException($"The gray image is {destination.Width}x{destination.Height}; the RGBA image is {image.Width}x{image.Height}.", nameof(destination));
        }

        ParallelRows.For(image.Height, 64, new ToGrayRows(image, destination));
        return destination;
    }

    /// <summary>Gray to opaque RGBA (R = G = B).</summary>
    public static RgbaImage ToRgba(GrayImage image)
    {
        var rgba = new RgbaImage(image.Width, image.Height);
        ParallelRows.For(image.Height, 64, new ToRgbaRows(image, rgba));
        return rgba;
    }

    // rgba (H, W*4) -> gray (H, W)
    private readonly struct ToGrayRows(RgbaImage source, GrayImage destination) : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            for (int y = start; y < end; y++)
            {
                ReadOnlySpan<byte> s = source.Row(y);
                Span<byte> d = destination.Row(y);
                for (int x = 0; x < d.Length; x++)
                {
                    d[x] = (byte)((s[x * 4] * GrayWeights.Red + s[x * 4 + 1] * GrayWeights.Green + s[x * 4 + 2] * GrayWeights.Blue + GrayWeights.Half) >> GrayWeights.Shift);
                }
            }
        }
    }

    // gray (H, W) -> rgba (H, W*4)
    private readonly struct ToRgbaRows(GrayImage source, RgbaImage destination) : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            for (int y = start; y < end; y++)
            {
                ReadOnlySpan<byte> s = source.Row(y);
                Span<byte> d = destination.Row(y);
                for (int x = 0; x < s.Length; x++)
                {
                    byte v = s[x];
                    d[x * 4] = v;
                    d[x * 4 + 1] = v;
                    d[x * 4 + 2] = v;
                    d[x * 4 + 3] = 255;
                }
            }
        }
    }
}
