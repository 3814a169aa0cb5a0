using Facemoji.Imaging.Formats.Jpeg;
using Facemoji.Imaging.Formats.Skia;

namespace Facemoji.Imaging;

/// <summary>
/// The front door for image files: load (format sniffed from the bytes, never from the name), decode, encode and
/// save (format from the extension, written atomically). Reads PNG, JPEG, WebP, GIF (the first frame) and BMP;
/// writes PNG, JPEG and WebP, through SkiaSharp's codecs (<see cref="SkiaCodec"/>) with our limits first. JPEG
/// goes through the system's libjpeg-turbo (<see cref="JpegDecoder"/>, <see cref="JpegEncoder"/>) where it is
/// installed: Skia's bundled libjpeg-turbo is built without SIMD, and `facemoji bench imaging` measures it slower
/// (docs/BENCHMARKS.md); without the system library JPEG goes through Skia too.
/// Every failure is a <see cref="FacemojiException"/> (<see cref="ImageFormatException"/> for bad data) whose
/// message names the file and the problem.
/// </summary>
public static class ImageCodecs
{
    /// <summary>Files larger than this are refused before reading: no image within <see cref="ImageLimits"/> needs it.</summary>
    public const long MaxFileBytes = 1L << 30;

    /// <summary>Recognises the format from the first bytes.</summary>
    public static ImageFileFormat DetectFormat(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return ImageFileFormat.Png;
        }

        if (JpegDecoder.IsJpeg(data))
        {
            return ImageFileFormat.Jpeg;
        }

        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8))
        {
            return ImageFileFormat.Gif;
        }

        if (data.StartsWith("BM"u8) && data.Length >= 14)
        {
            return ImageFileFormat.Bmp;
        }

        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return ImageFileFormat.WebP;
        }

        if (data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8))
        {
            return ImageFileFormat.Tiff;
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0, 0, 1, 0]) && data.Length >= 6 && data[4] + data[5] > 0)
        {
            return ImageFileFormat.Ico;
        }

        if (data.Length >= 12 && data.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            ReadOnlySpan<byte> brand = data.Slice(8, 4);
            if (brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8))
            {
                return ImageFileFormat.Avif;
            }

            if (brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("mif1"u8) || brand.SequenceEqual("msf1"u8))
            {
                return ImageFileFormat.Heif;
            }

            if (brand.SequenceEqual("jp2 "u8))
            {
                return ImageFileFormat.Jpeg2000;
            }

            return ImageFileFormat.Video; // isom, mp41, mp42, qt, 3gp...: an MP4/QuickTime container
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0, 0, 0, 0x0C, (byte)'j', (byte)'P', (byte)' ', (byte)' ']) || data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x4F, 0xFF, 0x51]))
        {
            return ImageFileFormat.Jpeg2000;
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x0A]) || data.StartsWith((ReadOnlySpan<byte>)[0, 0, 0, 0x0C, (byte)'J', (byte)'X', (byte)'L', (byte)' ']))
        {
            return ImageFileFormat.JpegXl;
        }

        if (data.StartsWith("8BPS"u8))
        {
            return ImageFileFormat.Psd;
        }

        if (data.StartsWith("qoif"u8))
        {
            return ImageFileFormat.Qoi;
        }

        if (data.StartsWith("%PDF"u8))
        {
            return ImageFileFormat.Pdf;
        }

        if (data.Length >= 3 && data[0] == 'P' && data[1] is >= (byte)'1' and <= (byte)'7' && data[2] is (byte)'\n' or (byte)' ' or (byte)'\r' or (byte)'\t')
        {
            return ImageFileFormat.Pnm;
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]) || (data.StartsWith("RIFF"u8) && data.Length >= 12 && data.Slice(8, 4).SequenceEqual("AVI "u8)))
        {
            return ImageFileFormat.Video; // Matroska/WebM, AVI
        }

        ReadOnlySpan<byte> head = data[..Math.Min(data.Length, 512)].TrimStart(" \t\r\n"u8);
        if (head.StartsWith("<svg"u8) || (head.StartsWith("<?xml"u8) && head.IndexOf("<svg"u8) >= 0))
        {
            return ImageFileFormat.Svg;
        }

        return ImageFileFormat.Unknown;
    }

    /// <summary>
    /// The upright size of image bytes from the header alone (limits checked, nothing decoded); null for formats
    /// Facemoji does not read. A server reserves memory with it before decoding.
    /// </summary>
    public static (int Width, int Height)? ReadSize(ReadOnlySpan<byte> data, string sourceName)
    {
        ImageFileFormat format = DetectFormat(data);
        if (UseTurboJpeg(format))
        {
            JpegHeader jpeg = JpegDecoder.ReadHeader(data, sourceName);
            return (jpeg.DisplayWidth, jpeg.DisplayHeight);
        }

        return IsReadable(format) ? SkiaCodec.ReadSize(data, format, sourceName) : null;
    }

    /// <summary>The formats <see cref="Decode"/> reads: PNG, JPEG, WebP, GIF and BMP.</summary>
    public static bool IsReadable(ImageFileFormat format) =>
        format is ImageFileFormat.Png or ImageFileFormat.Jpeg or ImageFileFormat.WebP or ImageFileFormat.Gif or ImageFileFormat.Bmp;

    /// <summary>Loads an image file as upright RGBA.</summary>
    public static RgbaImage Load(string path) => Decode(ReadFile(path), path);

    /// <summary>Loads an image file as upright 8-bit gray (the fast path for training images and detection).</summary>
    public static GrayImage LoadGray(string path) => DecodeGray(ReadFile(path), path);

    /// <summary>Decodes PNG, JPEG, WebP, GIF (first frame) or BMP bytes to upright RGBA; <paramref name="sourceName"/> names them in errors.</summary>
    public static RgbaImage Decode(ReadOnlySpan<byte> data, string sourceName)
    {
        ImageFileFormat format = DetectSupported(data, sourceName);
        return UseTurboJpeg(format) ? JpegDecoder.Decode(data, sourceName) : SkiaCodec.Decode(data, format, sourceName);
    }

    /// <summary>Decodes to upright 8-bit gray (OpenCV's BT.601 weights for colour files).</summary>
    public static GrayImage DecodeGray(ReadOnlySpan<byte> data, string sourceName)
    {
        ImageFileFormat format = DetectSupported(data, sourceName);
        return UseTurboJpeg(format) ? JpegDecoder.DecodeGray(data, sourceName) : SkiaCodec.DecodeGray(data, format, sourceName);
    }

    private static bool UseTurboJpeg(ImageFileFormat format) => format == ImageFileFormat.Jpeg && TurboJpeg.IsAvailable;

    /// <summary>The format <see cref="Save(RgbaImage, string, int?)"/> writes for a path: .png, .jpg, .jpeg or .webp (any case).</summary>
    public static ImageFileFormat FormatForPath(string path)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".png" => ImageFileFormat.Png,
            ".jpg" or ".jpeg" => ImageFileFormat.Jpeg,
            ".webp" => ImageFileFormat.WebP,
            _ => throw new FacemojiException(
                $"{path}: cannot save an image as '{(extension.Length == 0 ? "(no extension)" : extension)}': use a .png, .jpg, .jpeg or .webp file name"),
        };
    }

    /// <summary>The quality JPEG and WebP get when none is given.</summary>
    public const int DefaultQuality = 90;

    /// <summary>Encodes to PNG, JPEG or WebP; <paramref name="quality"/> (1..100, default 90) applies to JPEG and WebP.</summary>
    public static byte[] Encode(RgbaImage image, ImageFileFormat format, int? quality = null) =>
        UseTurboJpeg(CheckWritable(format))
            ? JpegEncoder.Encode(image, CheckQuality(quality))
            : SkiaCodec.Encode(image, format, CheckQuality(quality));

    public static byte[] Encode(GrayImage image, ImageFileFormat format, int? quality = null) =>
        UseTurboJpeg(CheckWritable(format))
            ? JpegEncoder.Encode(image, CheckQuality(quality))
            : SkiaCodec.Encode(image, format, CheckQuality(quality));

    private static ImageFileFormat CheckWritable(ImageFileFormat format) =>
        format is ImageFileFormat.Png or ImageFileFormat.Jpeg or ImageFileFormat.WebP
            ? format
            : throw new FacemojiException($"Facemoji writes PNG, JPEG and WebP images, not {format}");

    private static int CheckQuality(int? quality) => quality switch
    {
        null => DefaultQuality,
        >= 1 and <= 100 => quality.Value,
        _ => throw new FacemojiException($"JPEG quality must be 1 to 100, got {quality}"),
    };

    /// <summary>
    /// Saves in the format of the extension. The bytes go to a temporary file beside the target, which is then
    /// renamed over it: a failure never leaves a half-written image behind.
    /// </summary>
    public static void Save(RgbaImage image, string path, int? quality = null)
    {
        ImageFileFormat format = FormatForPath(path);
        WriteAtomically(path, Encode(image, format, quality));
    }

    public static void Save(GrayImage image, string path, int? quality = null)
    {
        ImageFileFormat format = FormatForPath(path);
        WriteAtomically(path, Encode(image, format, quality));
    }

    /// <summary>A few words for the format, for messages: "a GIF image".</summary>
    public static string Describe(ImageFileFormat format) => format switch
    {
        ImageFileFormat.Png => "a PNG image",
        ImageFileFormat.Jpeg => "a JPEG image",
        ImageFileFormat.Gif => "a GIF image",
        ImageFileFormat.Bmp => "a BMP image",
        ImageFileFormat.WebP => "a WebP image",
        ImageFileFormat.Tiff => "a TIFF image",
        ImageFileFormat.Ico => "a Windows icon (ICO)",
        ImageFileFormat.Heif => "a HEIF/HEIC image",
        ImageFileFormat.Avif => "an AVIF image",
        ImageFileFormat.Jpeg2000 => "a JPEG 2000 image",
        ImageFileFormat.JpegXl => "a JPEG XL image",
        ImageFileFormat.Psd => "a Photoshop document (PSD)",
        ImageFileFormat.Qoi => "a QOI image",
        ImageFileFormat.Pdf => "a PDF document",
        ImageFileFormat.Svg => "an SVG drawing",
        ImageFileFormat.Pnm => "a PNM/PPM/PGM image",
        ImageFileFormat.Video => "a video file",
        _ => "not an image format Facemoji knows",
    };

    private static ImageFileFormat DetectSupported(ReadOnlySpan<byte> data, string sourceName)
    {
        if (data.IsEmpty)
        {
            throw new ImageFormatException(sourceName, "the file is empty");
        }

        ImageFileFormat format = DetectFormat(data);
        if (IsReadable(format))
        {
            return format;
        }

        if (format == ImageFileFormat.Unknown)
        {
            string head = Convert.ToHexString(data[..Math.Min(8, data.Length)]);
            throw new ImageFormatException(sourceName,
                $"unsupported format: not a PNG, JPEG, WebP, GIF or BMP image (it starts with bytes {string.Join(' ', head.Chunk(2).Select(c => new string(c)))})");
        }

        throw new ImageFormatException(sourceName, $"unsupported format: this looks like {Describe(format)}; Facemoji reads PNG, JPEG, WebP, GIF and BMP (convert it first, e.g. with ffmpeg -i in out.png)");
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new FacemojiException(Directory.Exists(path) ? $"{path}: is a folder, not an image file" : $"{path}: file not found");
            }

            if (info.Length > MaxFileBytes)
            {
                throw new ImageFormatException(path, $"the file is {info.Length / (1 << 20)} MB, larger than any image Facemoji accepts ({MaxFileBytes >> 20} MB)");
            }

            return BoundedFile.ReadAllBytes(path, MaxFileBytes, problem => new ImageFormatException(path, "the file " + problem));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new FacemojiException($"{path}: cannot read the file ({e.Message})", e);
        }
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new FacemojiException($"{path}: not a valid file name ({e.Message})", e);
        }

        string folder = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(folder))
        {
            throw new FacemojiException($"{path}: cannot write the image, the folder {folder} does not exist");
        }

        OutputFile.Check(path);

        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new FacemojiException($"{path}: cannot write the image ({e.Message})", e);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the temporary name starts with a dot and ends with .tmp, easy to spot.
        }
    }
}
