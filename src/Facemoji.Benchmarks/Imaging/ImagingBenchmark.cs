using System.Diagnostics;
using Facemoji.Engine;
using Facemoji.Imaging;
using Facemoji.Imaging.Formats.Skia;
using Facemoji.Imaging.Processing;

namespace Facemoji.Benchmarks.Imaging;

/// <summary>
/// The codec workloads bench/imaging_opencv.py times with OpenCV: decoding small gray JPEGs (FER2013's 48x48
/// files, or crops of the sample photo when the data set is absent); decoding the 512x512 sample PNG and a JPEG of
/// it; encoding it as PNG and JPEG (quality 90); resizing it. Everything goes through the public entry points
/// (<see cref="ImageCodecs"/>, <see cref="Resizer"/>), so the figures are those of whatever codecs they use. All
/// in memory and on one thread, so that only the codecs are measured. Warm-up first, then repeats.
/// </summary>
public static class ImagingBenchmark
{
    public const string DefaultPng = "third_party/skimage/astronaut.png";
    public const string DefaultJpegFolder = "../shared/data/fer2013/train"; // the layout of this repository beside its data

    /// <summary>
    /// The benchmark on <paramref name="pngPath"/> and the first small JPEGs of <paramref name="jpegFolder"/> (crops
    /// of the photo when the folder is absent); returns the result and where the JPEGs came from.
    /// </summary>
    public static (ImagingBenchmarkResult Result, string JpegSource) Run(string pngPath, string jpegFolder, bool quick)
    {
        bool real = Directory.Exists(jpegFolder);
        var inputs = real ? ReadJpegs(jpegFolder, quick ? 500 : 5000) : SyntheticJpegs(pngPath, quick ? 300 : 2000);
        return (Run(pngPath, inputs, quick ? 3 : 7), real ? $"from {jpegFolder}" : "crops of the photo");
    }

    public static ImagingBenchmarkResult Run(string pngPath, IReadOnlyList<byte[]> jpegs, int repeats = 7)
    {
        if (jpegs.Count == 0)
        {
            throw new FacemojiException("The imaging benchmark needs at least one JPEG.");
        }

        byte[] png = ReadFile(pngPath);
        RgbaImage photo = ImageCodecs.Decode(png, pngPath);

        foreach (byte[] jpeg in jpegs.Take(200))
        {
            ImageCodecs.DecodeGray(jpeg, "warm-up");
        }

        var jpegRates = new List<double>(repeats);
        for (int r = 0; r < repeats; r++)
        {
            long start = Stopwatch.GetTimestamp();
            foreach (byte[] jpeg in jpegs)
            {
                ImageCodecs.DecodeGray(jpeg, "benchmark");
            }

            jpegRates.Add(jpegs.Count / Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        byte[] photoJpeg = ImageCodecs.Encode(photo, ImageFileFormat.Jpeg, 90);
        double rgba = Median(Time(() => ImageCodecs.Decode(png, pngPath), repeats));
        double gray = Median(Time(() => ImageCodecs.DecodeGray(png, pngPath), repeats));
        double jpegRgba = Median(Time(() => ImageCodecs.Decode(photoJpeg, "photo.jpg"), repeats));
        double pngEncode = Median(Time(() => ImageCodecs.Encode(photo, ImageFileFormat.Png), repeats));
        double jpegEncode = Median(Time(() => ImageCodecs.Encode(photo, ImageFileFormat.Jpeg, 90), repeats));
        double half = Median(Time(() => Resizer.Resize(photo, photo.Width / 2, photo.Height / 2, ResizeMode.Area), repeats));
        double twice = Median(Time(() => Resizer.Resize(photo, photo.Width * 2, photo.Height * 2, ResizeMode.Bilinear), repeats));
        var skiaRates = new List<double>(repeats);
        for (int r = 0; r < repeats; r++)
        {
            long start = Stopwatch.GetTimestamp();
            foreach (byte[] jpeg in jpegs)
            {
                SkiaCodec.DecodeGray(jpeg, ImageFileFormat.Jpeg, "benchmark");
            }

            skiaRates.Add(jpegs.Count / Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        double skiaJpegRgba = Median(Time(() => SkiaCodec.Decode(photoJpeg, ImageFileFormat.Jpeg, "photo.jpg"), repeats));
        double skiaJpegEncode = Median(Time(() => SkiaCodec.Encode(photo, ImageFileFormat.Jpeg, 90), repeats));
        return new ImagingBenchmarkResult(jpegs.Count, Median(jpegRates), Path.GetFileName(pngPath), photo.Width, photo.Height,
            rgba, gray, jpegRgba, pngEncode, jpegEncode, half, twice, Median(skiaRates), skiaJpegRgba, skiaJpegEncode);
    }

    /// <summary>Every *.jpg under <paramref name="folder"/> (recursively, sorted), at most <paramref name="limit"/>.</summary>
    public static List<byte[]> ReadJpegs(string folder, int limit = 5000) =>
        [.. Directory.EnumerateFiles(folder, "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(limit).Select(ReadFile)];

    /// <summary>48x48 gray JPEGs (quality 90) cut from the sample photo: a stand-in when FER2013 is not on the machine.</summary>
    public static List<byte[]> SyntheticJpegs(string pngPath, int count = 2000)
    {
        GrayImage photo = ImageCodecs.DecodeGray(ReadFile(pngPath), pngPath);
        var jpegs = new List<byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            int size = 48 + i % 97 * 4;
            int x = i * 37 % (photo.Width - size), y = i * 53 % (photo.Height - size);
            GrayImage crop = Resizer.Resize(Cropping.Crop(photo, new PixelRect(x, y, size, size)), 48, 48, ResizeMode.Area);
            jpegs.Add(ImageCodecs.Encode(crop, ImageFileFormat.Jpeg, 90));
        }

        return jpegs;
    }

    private static List<double> Time(Action action, int repeats)
    {
        for (int i = 0; i < 3; i++)
        {
            action();
        }

        var times = new List<double>(repeats);
        for (int r = 0; r < repeats; r++)
        {
            const int Inner = 5;
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < Inner; i++)
            {
                action();
            }

            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds / Inner);
        }

        return times;
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2];
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            return BoundedFile.ReadAllBytes(path, ImageCodecs.MaxFileBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FacemojiException($"Cannot read benchmark input '{path}': {e.Message}", e);
        }
    }
}
