using System.Buffers.Binary;
using Facemoji.Imaging.Processing;
using SkiaSharp;

namespace Facemoji.Imaging.Formats.Skia;

/// <summary>
/// Decoding (PNG, JPEG, WebP, GIF first frame, BMP) and encoding (PNG, JPEG, WebP) with Skia's codecs (libpng,
/// libjpeg-turbo, libwebp and Skia's own GIF/BMP readers, all inside SkiaSharp's native library). What Skia does
/// not do for us is done here, before any pixel buffer exists: the size limits and decode budget of
/// <see cref="ImageLimits"/>, and a bound on the pixels the compressed bytes can hold (a 600-byte file claiming
/// 5000x5000 is refused instead of allocating 100 MB). Skia's results other than success become
/// <see cref="ImageFormatException"/>s naming the source; a truncated file is refused, never returned half gray.
/// The EXIF orientation (<see cref="ExifOrientation"/>) is applied to RGBA and gray alike. No colour management:
/// the samples are returned as stored, as before. <see cref="ImageCodecs"/> is the entry point; this type is public
/// so that `facemoji bench imaging` can time Skia's JPEG codec beside the libjpeg-turbo one ImageCodecs prefers.
/// </summary>
public static unsafe class SkiaCodec
{
    // PNG: deflate expands at most 1032 times. JPEG (Huffman): the component sampled at full resolution has one
    // 8x8 block per 64 pixels and every block costs at least one bit, so n bytes hold at most n * 8 * 64 pixels.
    private const long MaxInflateRatio = 1032;
    private const long MaxJpegPixelsPerByte = 8 * 64;

    /// <summary>The upright size from the header, limits checked; nothing decoded.</summary>
    public static (int Width, int Height) ReadSize(ReadOnlySpan<byte> data, ImageFileFormat format, string source)
    {
        fixed (byte* p = data)
        {
            using var skData = SKData.Create((nint)p, data.Length);
            using SKCodec codec = Open(skData, data, format, source);
            int orientation = (int)codec.EncodedOrigin;
            return orientation >= 5 ? (codec.Info.Height, codec.Info.Width) : (codec.Info.Width, codec.Info.Height);
        }
    }

    public static RgbaImage Decode(ReadOnlySpan<byte> data, ImageFileFormat format, string source)
    {
        RgbaImage image;
        int orientation;
        fixed (byte* p = data)
        {
            using var skData = SKData.Create((nint)p, data.Length);
            using SKCodec codec = Open(skData, data, format, source);
            orientation = (int)codec.EncodedOrigin;
            int width = codec.Info.Width, height = codec.Info.Height;
            long bytes = (long)width * height * 4;
            ImageLimits.CheckDecodeBytes(orientation > 1 ? 2 * bytes : bytes, width, height, source);
            image = new RgbaImage(width, height);
            fixed (byte* pixels = image.Pixels)
            {
                Check(codec.GetPixels(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), (nint)pixels), format, source);
            }
        }

        return ExifOrientation.Apply(image, orientation);
    }

    /// <summary>
    /// Upright 8-bit gray. A gray file (FER2013's JPEGs, gray PNGs) is decoded straight to gray; anything in
    /// colour goes through RGBA and the BT.601 weights of <see cref="GrayWeights"/> (alpha ignored, as OpenCV does).
    /// </summary>
    public static GrayImage DecodeGray(ReadOnlySpan<byte> data, ImageFileFormat format, string source)
    {
        GrayImage? gray = null;
        int orientation;
        fixed (byte* p = data)
        {
            using var skData = SKData.Create((nint)p, data.Length);
            using SKCodec codec = Open(skData, data, format, source);
            orientation = (int)codec.EncodedOrigin;
            int width = codec.Info.Width, height = codec.Info.Height;
            if (codec.Info.ColorType == SKColorType.Gray8)
            {
                long bytes = (long)width * height;
                ImageLimits.CheckDecodeBytes(orientation > 1 ? 2 * bytes : bytes, width, height, source);
                gray = new GrayImage(width, height);
                SKCodecResult result;
                fixed (byte* pixels = gray.Pixels)
                {
                    result = codec.GetPixels(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque), (nint)pixels);
                }

                if (result == SKCodecResult.InvalidConversion)
                {
                    gray = null; // not offered for this file after all: through RGBA below
                }
                else
                {
                    Check(result, format, source);
                }
            }

            if (gray is null)
            {
                long bytes = (long)width * height * 5; // the RGBA decode and the gray result
                ImageLimits.CheckDecodeBytes(orientation > 1 ? bytes + (long)width * height : bytes, width, height, source);
                var rgba = new RgbaImage(width, height);
                fixed (byte* pixels = rgba.Pixels)
                {
                    Check(codec.GetPixels(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), (nint)pixels), format, source);
                }

                gray = ColorConversion.ToGray(rgba);
            }
        }

        return ExifOrientation.Apply(gray, orientation);
    }

    /// <summary>Encodes RGBA; <paramref name="quality"/> (1..100) applies to JPEG and WebP (lossy).</summary>
    public static byte[] Encode(RgbaImage image, ImageFileFormat format, int quality)
    {
        // An opaque image is written without alpha (PNG as RGB): smaller, and what viewers expect of a photo.
        SKAlphaType alpha = IsOpaque(image.Pixels) ? SKAlphaType.Opaque : SKAlphaType.Unpremul;
        fixed (byte* pixels = image.Pixels)
        {
            using var pixmap = new SKPixmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, alpha), (nint)pixels, image.Width * 4);
            return Encode(pixmap, format, quality, gray: false);
        }
    }

    /// <summary>Encodes gray: a gray PNG or JPEG; WebP has no gray mode and gets R = G = B.</summary>
    public static byte[] Encode(GrayImage image, ImageFileFormat format, int quality)
    {
        if (format == ImageFileFormat.WebP)
        {
            return Encode(ColorConversion.ToRgba(image), format, quality);
        }

        fixed (byte* pixels = image.Pixels)
        {
            using var pixmap = new SKPixmap(new SKImageInfo(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque), (nint)pixels, image.Width);
            return Encode(pixmap, format, quality, gray: true);
        }
    }

    private static byte[] Encode(SKPixmap pixmap, ImageFileFormat format, int quality, bool gray)
    {
        using SKData? data = format switch
        {
            // zlib level 3 (its fast match strategy): the sample photo's PNG is about 4% larger than at the default
            // level 6, and encoding it takes a fraction of the time (facemoji bench imaging, png encode).
            ImageFileFormat.Png => pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 3)),
            // 4:4:4 from quality 90 up (the default): faces keep their colour edges; 4:2:0 below, as libjpeg does.
            ImageFileFormat.Jpeg => pixmap.Encode(new SKJpegEncoderOptions(quality,
                gray || quality >= 90 ? SKJpegEncoderDownsample.Downsample444 : SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)),
            ImageFileFormat.WebP => pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, quality)),
            _ => throw new FacemojiException($"Facemoji writes PNG, JPEG and WebP images, not {format}"),
        };
        return data?.ToArray() ?? throw new FacemojiException($"Skia could not encode a {pixmap.Width}x{pixmap.Height} image as {format}");
    }

    private static bool IsOpaque(ReadOnlySpan<byte> rgba)
    {
        for (int i = 3; i < rgba.Length; i += 4)
        {
            if (rgba[i] != 255)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Opens the codec and checks everything that can be checked from the header, before decoding.</summary>
    private static SKCodec Open(SKData skData, ReadOnlySpan<byte> data, ImageFileFormat format, string source)
    {
        SKCodec? codec = SKCodec.Create(skData);
        if (codec is null)
        {
            throw new ImageFormatException(source, $"truncated or corrupt {Name(format)}: the header cannot be read");
        }

        try
        {
            int width = codec.Info.Width, height = codec.Info.Height;
            ImageLimits.Check(width, height, source);
            CheckCompressedSize(data, format, width, height, source);
            if (format == ImageFileFormat.Jpeg && IsCmykWithoutAdobeMarker(data))
            {
                throw new ImageFormatException(source,
                    "unsupported JPEG: CMYK without Adobe's APP14 marker (its inks would come out inverted); save it as an RGB JPEG or a PNG");
            }

            return codec;
        }
        catch
        {
            codec.Dispose();
            throw;
        }
    }

    /// <summary>Refuses a header whose size the compressed bytes cannot possibly hold (PNG and JPEG).</summary>
    private static void CheckCompressedSize(ReadOnlySpan<byte> data, ImageFileFormat format, int width, int height, string source)
    {
        long pixels = (long)width * height;
        if (format == ImageFileFormat.Jpeg && pixels > data.Length * MaxJpegPixelsPerByte)
        {
            throw new ImageFormatException(source, $"truncated or corrupt JPEG: {data.Length} bytes cannot hold a {width}x{height} image");
        }

        if (format == ImageFileFormat.Png && data.Length >= 33)
        {
            (long compressed, bool ended) = WalkPngChunks(data);
            if (!ended)
            {
                // libpng returns every row once the pixel data is in, with the checksums and IEND cut off; refused
                // like any other truncated file.
                throw new ImageFormatException(source, "truncated PNG: the file ends before its IEND chunk");
            }

            // IHDR: bit depth at 24, colour type at 25. Raw size: a filter byte and the packed samples per row.
            int depth = data[24];
            int channels = data[25] switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 1 };
            long raw = height * (1 + ((long)width * channels * Math.Max(depth, 1) + 7) / 8);
            if (raw > compressed * MaxInflateRatio)
            {
                throw new ImageFormatException(source, $"corrupt PNG: {compressed} bytes of compressed data cannot hold a {width}x{height} image");
            }
        }
    }

    /// <summary>
    /// The total length of the IDAT chunks, and whether a complete IEND chunk was reached, walking the chunk
    /// headers (not the CRCs; libpng checks those).
    /// </summary>
    private static (long IdatBytes, bool Ended) WalkPngChunks(ReadOnlySpan<byte> data)
    {
        long total = 0;
        int offset = 8;
        while (offset + 8 <= data.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(data[offset..]);
            ReadOnlySpan<byte> type = data.Slice(offset + 4, 4);
            if (type.SequenceEqual("IDAT"u8))
            {
                total += Math.Min(length, (uint)(data.Length - offset - 8));
            }

            long next = offset + 12L + length;
            if (next > data.Length)
            {
                break;
            }

            if (type.SequenceEqual("IEND"u8))
            {
                return (total, true);
            }

            offset = (int)next;
        }

        return (total, false);
    }

    /// <summary>
    /// True for a 4-component (CMYK/YCCK) JPEG without Adobe's APP14 marker. Skia's JPEG codec reads every CMYK
    /// file as Adobe writes them (inverted, 255 = no ink); a file of plain ink amounts would come out as a
    /// negative. Walks the marker segments up to the first frame header.
    /// </summary>
    private static bool IsCmykWithoutAdobeMarker(ReadOnlySpan<byte> data)
    {
        bool adobe = false;
        int offset = 2;
        while (offset + 4 <= data.Length && data[offset] == 0xFF)
        {
            byte marker = data[offset + 1];
            if (marker == 0xFF)
            {
                offset++; // fill byte
                continue;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            if (marker == 0xEE && offset + 9 <= data.Length && data.Slice(offset + 4, 5).SequenceEqual("Adobe"u8))
            {
                adobe = true;
            }

            bool frame = marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);
            if (frame)
            {
                return offset + 9 < data.Length && data[offset + 9] == 4 && !adobe;
            }

            if (marker == 0xDA || length < 2)
            {
                return false;
            }

            offset += 2 + length;
        }

        return false;
    }

    private static void Check(SKCodecResult result, ImageFileFormat format, string source)
    {
        switch (result)
        {
            case SKCodecResult.Success:
                return;
            case SKCodecResult.IncompleteInput:
                throw new ImageFormatException(source, $"truncated {Name(format)}: the file ends before the last row of pixels");
            default:
                throw new ImageFormatException(source, $"corrupt {Name(format)}: {Describe(result)}");
        }
    }

    private static string Name(ImageFileFormat format) => format switch
    {
        ImageFileFormat.Png => "PNG",
        ImageFileFormat.Jpeg => "JPEG",
        ImageFileFormat.WebP => "WebP",
        ImageFileFormat.Gif => "GIF",
        ImageFileFormat.Bmp => "BMP",
        _ => format.ToString(),
    };

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the data ends early",
        SKCodecResult.ErrorInInput => "the pixel data is damaged",
        SKCodecResult.InvalidInput => "not a valid image",
        SKCodecResult.InvalidConversion => "the pixel format cannot be converted to 8-bit RGBA",
        SKCodecResult.Unimplemented => "a feature of this file is not supported",
        _ => $"the decoder failed ({result})",
    };
}
