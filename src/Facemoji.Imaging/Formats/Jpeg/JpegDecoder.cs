using Facemoji.Imaging.Processing;

namespace Facemoji.Imaging.Formats.Jpeg;

/// <summary>
/// Decodes JPEG (baseline and progressive; gray, YCbCr, RGB, CMYK and YCCK) with the system's libjpeg-turbo.
/// The image comes out upright: the EXIF orientation is applied (<see cref="ExifOrientation"/>) to RGBA and gray
/// alike, so boxes found on the gray image fit the colour one. libjpeg warnings (corrupt data, premature end) are
/// treated as errors: a truncated or damaged file is refused instead of coming back half gray.
/// </summary>
public static unsafe class JpegDecoder
{
    // Every 8x8 block of every component costs at least one bit (its DC code). With the frame header in hand the
    // blocks are counted exactly (JpegMarkers.MinimumBlocks); without it, a component may be subsampled by up to 4
    // in each direction: n bytes hold at most n * 8 * 64 * 16 pixels. A header claiming more is a lie, refused
    // before the pixel buffer is allocated. (Arithmetic coding could beat one bit a block on a flat image; such a
    // file would be refused, no photograph comes close.)
    private const long MaxPixelsPerByte = 8 * 64 * 16;

    public static bool IsJpeg(ReadOnlySpan<byte> data) => data.StartsWith(JpegMarkers.StartOfImage);

    /// <summary>Reads the header only (size, colour space, orientation); limits checked.</summary>
    internal static JpegHeader ReadHeader(ReadOnlySpan<byte> data, string source)
    {
        CheckSignature(data, source);
        nint handle = TurboJpeg.RentDecompressor();
        bool healthy = false;
        try
        {
            JpegHeader header = ReadHeader(handle, data, source);
            healthy = true;
            return header;
        }
        finally
        {
            TurboJpeg.ReturnDecompressor(handle, healthy);
        }
    }

    /// <summary>Decodes to upright 8-bit RGBA (alpha 255).</summary>
    public static RgbaImage Decode(ReadOnlySpan<byte> data, string source)
    {
        CheckSignature(data, source);
        nint handle = TurboJpeg.RentDecompressor();
        bool healthy = false;
        RgbaImage image;
        JpegHeader header;
        try
        {
            header = HeaderForDecoding(handle, data, source);
            image = DecodeRgba(handle, data, header, source);
            healthy = true;
        }
        finally
        {
            TurboJpeg.ReturnDecompressor(handle, healthy);
        }

        return ExifOrientation.Apply(image, header.Orientation);
    }

    /// <summary>
    /// Decodes to upright 8-bit gray. Gray and YCbCr JPEGs give libjpeg's own luma (the Y channel, what
    /// cv2.imread(IMREAD_GRAYSCALE) returns), the fast path for the 48x48 training images; CMYK goes through RGB
    /// and the BT.601 weights of <see cref="GrayWeights"/>.
    /// </summary>
    public static GrayImage DecodeGray(ReadOnlySpan<byte> data, string source)
    {
        CheckSignature(data, source);
        nint handle = TurboJpeg.RentDecompressor();
        bool healthy = false;
        try
        {
            JpegHeader header = HeaderForDecoding(handle, data, source);
            GrayImage gray;
            if (header.ColorSpace is JpegColorSpace.Cmyk or JpegColorSpace.Ycck)
            {
                RgbaImage rgba = DecodeRgba(handle, data, header, source);
                gray = new GrayImage(rgba.Width, rgba.Height);
                byte[] p = rgba.Pixels, g = gray.Pixels;
                for (int i = 0; i < g.Length; i++)
                {
                    g[i] = GrayWeights.Luma(p[i * 4], p[i * 4 + 1], p[i * 4 + 2]);
                }
            }
            else
            {
                long bytes = (long)header.Width * header.Height;
                ImageLimits.CheckDecodeBytes(header.Orientation > 1 ? 2 * bytes : bytes, header.Width, header.Height, source);
                gray = new GrayImage(header.Width, header.Height);
                Decompress(handle, data, gray.Pixels, header.Width, header.Width, header.Height, TurboJpeg.PixelFormatGray, source);
            }

            healthy = true;
            return ExifOrientation.Apply(gray, header.Orientation);
        }
        finally
        {
            TurboJpeg.ReturnDecompressor(handle, healthy);
        }
    }

    private static void CheckSignature(ReadOnlySpan<byte> data, string source)
    {
        if (!IsJpeg(data))
        {
            throw new ImageFormatException(source, "not a JPEG file (it does not start with the SOI marker FF D8 FF)");
        }
    }

    private static JpegHeader ReadHeader(nint handle, ReadOnlySpan<byte> data, string source)
    {
        JpegMarkers markers = JpegMarkers.Read(data);
        CheckSupported(markers, source);
        int width, height, subsampling, colorSpace;
        int result;
        fixed (byte* p = data)
        {
            result = TurboJpeg.Native.DecompressHeader3(handle, p, (nuint)data.Length, &width, &height, &subsampling, &colorSpace);
        }

        if (result != 0)
        {
            throw new ImageFormatException(source, $"corrupt JPEG: {TurboJpeg.Native.ErrorText(handle)}");
        }

        if (width <= 0 || height <= 0)
        {
            throw new ImageFormatException(source, "truncated or corrupt JPEG: no image frame (SOF marker) found");
        }

        CheckSize(width, height, markers, data.Length, source);
        if (colorSpace is < 0 or > 4)
        {
            throw new ImageFormatException(source, $"unsupported JPEG colour space {colorSpace}");
        }

        return new JpegHeader(width, height, (JpegColorSpace)colorSpace, markers.Orientation, markers.HasAdobeMarker);
    }

    /// <summary>
    /// The header for decoding, from our own parse of the frame (SOF) when it is plain: TurboJPEG's header call
    /// parses all tables once more, a third of the time of a 48x48 decode. Anything unusual goes through libjpeg.
    /// For 3 components the colour space reads YCbCr even for Adobe RGB files: decoding does not depend on it.
    /// </summary>
    private static JpegHeader HeaderForDecoding(nint handle, ReadOnlySpan<byte> data, string source)
    {
        JpegMarkers markers = JpegMarkers.Read(data);
        CheckSupported(markers, source);
        if (markers.FrameWidth <= 0 || markers.FrameHeight <= 0 || markers.FrameComponents is not (1 or 3 or 4))
        {
            return ReadHeader(handle, data, source);
        }

        CheckSize(markers.FrameWidth, markers.FrameHeight, markers, data.Length, source);
        var colorSpace = markers.FrameComponents switch
        {
            1 => JpegColorSpace.Gray,
            3 => JpegColorSpace.YCbCr,
            _ => JpegColorSpace.Cmyk,
        };
        return new JpegHeader(markers.FrameWidth, markers.FrameHeight, colorSpace, markers.Orientation, markers.HasAdobeMarker);
    }

    /// <summary>Names what libjpeg-turbo 2.1 cannot decode, instead of its "corrupt"-sounding messages.</summary>
    private static void CheckSupported(JpegMarkers markers, string source)
    {
        if (markers.FrameMarker is 0xC3 or 0xC7 or 0xCB or 0xCF)
        {
            throw new ImageFormatException(source, "unsupported JPEG: lossless JPEG (SOF" + (markers.FrameMarker - 0xC0) + ") cannot be decoded; save it as a baseline JPEG or PNG");
        }

        if (markers.FramePrecision is not (0 or 8))
        {
            throw new ImageFormatException(source, $"unsupported JPEG: {markers.FramePrecision}-bit samples (only 8-bit JPEG is decoded)");
        }
    }

    private static void CheckSize(int width, int height, JpegMarkers markers, int length, string source)
    {
        ImageLimits.Check(width, height, source);
        bool tooSmall = markers.MinimumBlocks > 0
            ? markers.MinimumBlocks > length * 8L
            : (long)width * height > length * MaxPixelsPerByte;
        if (tooSmall)
        {
            throw new ImageFormatException(source, $"truncated or corrupt JPEG: {length} bytes cannot hold a {width}x{height} image");
        }
    }

    private static RgbaImage DecodeRgba(nint handle, ReadOnlySpan<byte> data, JpegHeader header, string source)
    {
        // The output, and a second one when the EXIF orientation turns it.
        long rgba = (long)header.Width * header.Height * 4;
        ImageLimits.CheckDecodeBytes(header.Orientation > 1 ? 2 * rgba : rgba, header.Width, header.Height, source);
        var image = new RgbaImage(header.Width, header.Height);
        Decompress(handle, data, image.Pixels, header.Width, header.Width * 4, header.Height,
            header.ColorSpace is JpegColorSpace.Cmyk or JpegColorSpace.Ycck ? TurboJpeg.PixelFormatCmyk : TurboJpeg.PixelFormatRgba, source);
        if (header.ColorSpace is JpegColorSpace.Cmyk or JpegColorSpace.Ycck)
        {
            CmykToRgba(image.Pixels, header.HasAdobeMarker);
        }

        return image;
    }

    /// <summary>
    /// In place, 4 bytes a pixel. Adobe (Photoshop) files store CMYK inverted (255 = no ink): R = C*K/255.
    /// Without the Adobe marker the samples are ink amounts: R = (255-C)(255-K)/255. No colour management:
    /// this is the naive conversion every viewer without a CMS uses.
    /// </summary>
    internal static void CmykToRgba(Span<byte> pixels, bool inverted)
    {
        for (int i = 0; i < pixels.Length; i += 4)
        {
            int c = pixels[i], m = pixels[i + 1], y = pixels[i + 2], k = pixels[i + 3];
            if (!inverted)
            {
                c = 255 - c;
                m = 255 - m;
                y = 255 - y;
                k = 255 - k;
            }

            pixels[i] = (byte)((c * k + 127) / 255);
            pixels[i + 1] = (byte)((m * k + 127) / 255);
            pixels[i + 2] = (byte)((y * k + 127) / 255);
            pixels[i + 3] = 255;
        }
    }

    private static void Decompress(nint handle, ReadOnlySpan<byte> data, byte[] destination, int width, int pitch, int height, int pixelFormat, string source)
    {
        int result;
        fixed (byte* p = data)
        fixed (byte* d = destination)
        {
            result = TurboJpeg.Native.Decompress2(handle, p, (nuint)data.Length, d, width, pitch, height, pixelFormat, 0);
        }

        if (result != 0)
        {
            bool warning = TurboJpeg.Native.IsWarning(handle);
            string text = TurboJpeg.Native.ErrorText(handle);
            throw new ImageFormatException(source, warning ? $"truncated or corrupt JPEG data: {text}" : $"corrupt JPEG: {text}");
        }
    }
}
