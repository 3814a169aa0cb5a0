namespace Facemoji.Imaging;

/// <summary>
/// An 8-bit RGBA image, row-major, 4 bytes a pixel in the order R, G, B, A, stride = Width * 4,
/// straight (not premultiplied) alpha. The common currency of codecs, drawing and emoji.
/// </summary>
public sealed class RgbaImage
{
    public RgbaImage(int width, int height)
        : this(width, height, new byte[checked(width * height * 4)])
    {
    }

    public RgbaImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (pixels.Length != (long)width * height * 4)
        {
            throw new ArgumentException($"Expected {(long)width * height * 4} bytes for {width}x{height} RGBA, got {pixels.Length}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    public Span<byte> Row(int y) => Pixels.AsSpan(y * Width * 4, Width * 4);
}
