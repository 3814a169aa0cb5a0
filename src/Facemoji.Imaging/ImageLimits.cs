namespace Facemoji.Imaging;

/// <summary>
/// What the decoders accept, checked from the header BEFORE any pixel buffer is allocated, so that a
/// tiny file that claims to be 100000 x 100000 costs nothing.
/// </summary>
public static class ImageLimits
{
    /// <summary>The largest image decoded: 100 megapixels (400 MB as RGBA).</summary>
    public const long MaxPixels = 100_000_000;

    /// <summary>The longest side accepted; PNG allows 2^31 - 1 and JPEG 65535, neither is a photo.</summary>
    public const int MaxSide = 65_535;

    /// <summary>Throws <see cref="ImageFormatException"/> naming <paramref name="source"/> when the size is refused.</summary>
    public static void Check(long width, long height, string source)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ImageFormatException(source, $"invalid image size {width}x{height}");
        }

        if (width > MaxSide || height > MaxSide)
        {
            throw new ImageFormatException(source, $"image size {width}x{height} is absurd (a side may be at most {MaxSide} pixels)");
        }

        if (width * height > MaxPixels)
        {
            throw new ImageFormatException(
                source, $"image size {width}x{height} is {width * height / 1e6:0.#} megapixels, over the limit of {MaxPixels / 1_000_000} megapixels");
        }
    }
}
