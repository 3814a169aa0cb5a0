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

    /// <summary>
    /// The most memory one decode may take, in bytes: the output buffer plus what is held beside it (an EXIF
    /// rotation's second buffer, the RGBA buffer a gray decode of a colour file goes through; Skia's and
    /// libjpeg-turbo's own row buffers are small beside these). 200 MiB lets a
    /// 52-megapixel RGBA image through (a 50 MP phone photo, 8160x6120) and keeps the whole `facemoji image` run of
    /// the largest one under 1 GB (analysis, annotated copy and encoding included; see docs/SECURITY.md). Gray
    /// decodes (1 byte a pixel) stay bounded by <see cref="MaxPixels"/>.
    /// </summary>
    public const long MaxDecodeBytes = 200L * 1024 * 1024;

    /// <summary>Throws <see cref="ImageFormatException"/> when a decode would take more than <see cref="MaxDecodeBytes"/>; call it before allocating.</summary>
    public static void CheckDecodeBytes(long bytes, long width, long height, string source)
    {
        if (bytes > MaxDecodeBytes)
        {
            throw new ImageFormatException(
                source, $"decoding {width}x{height} would take {bytes / 1048576.0:0} MB, over the memory budget of {MaxDecodeBytes >> 20} MB for one image");
        }
    }

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
