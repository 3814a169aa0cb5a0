
namespace Facemoji.Imaging.Formats.Jpeg;

/// <summary>Encodes baseline JPEG with the system's libjpeg-turbo. JPEG has no alpha: it is dropped.</summary>
public static unsafe class JpegEncoder
{
    public const int DefaultQuality = 90;

    /// <summary>
    /// Encodes RGB (alpha ignored). <paramref name="quality"/> 1..100; chroma is subsampled 4:2:0 below quality 90
    /// and kept at 4:4:4 from 90 up, where the eye starts to see colour fringes on edges and labels.
    /// </summary>
    public static byte[] Encode(RgbaImage image, int quality = DefaultQuality)
    {
        CheckQuality(quality);
        int subsampling = quality >= 90 ? TurboJpeg.Subsampling444 : TurboJpeg.Subsampling420;
        return Compress(image.Pixels, image.Width, image.Width * 4, image.Height, TurboJpeg.PixelFormatRgba, subsampling, quality);
    }

    public static byte[] Encode(GrayImage image, int quality = DefaultQuality)
    {
        CheckQuality(quality);
        return Compress(image.Pixels, image.Width, image.Width, image.Height, TurboJpeg.PixelFormatGray, TurboJpeg.SubsamplingGray, quality);
    }

    private static void CheckQuality(int quality)
    {
        if (quality is < 1 or > 100)
        {
            throw new FacemojiException($"JPEG quality must be 1 to 100, got {quality}");
        }
    }

    private static byte[] Compress(byte[] pixels, int width, int pitch, int height, int pixelFormat, int subsampling, int quality)
    {
        nint handle = TurboJpeg.RentCompressor();
        byte* jpeg = null;
        bool healthy = false;
        try
        {
            nuint size = 0;
            int result;
            fixed (byte* p = pixels)
            {
                result = TurboJpeg.Native.Compress2(handle, p, width, pitch, height, pixelFormat, &jpeg, &size, subsampling, quality, 0);
            }

            if (result != 0)
            {
                throw new FacemojiException($"libjpeg-turbo could not encode a {width}x{height} JPEG: {TurboJpeg.Native.ErrorText(handle)}");
            }

            healthy = true;
            return new ReadOnlySpan<byte>(jpeg, checked((int)size)).ToArray();
        }
        finally
        {
            if (jpeg != null)
            {
                TurboJpeg.Native.Free(jpeg);
            }

            TurboJpeg.ReturnCompressor(handle, healthy);
        }
    }
}
