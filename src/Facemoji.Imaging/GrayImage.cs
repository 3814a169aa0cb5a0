namespace Facemoji.Imaging;

/// <summary>An 8-bit single-channel image, row-major, stride = Width. Face detection and the classifier read these.</summary>
public sealed class GrayImage
{
    public GrayImage(int width, int height)
        : this(width, height, new byte[checked(width * height)])
    {
    }

    public GrayImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (pixels.Length != (long)width * height)
        {
            throw new ArgumentException($"Expected {(long)width * height} bytes for {width}x{height} gray, got {pixels.Length}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    public Span<byte> Row(int y) => Pixels.AsSpan(y * Width, Width);
}
