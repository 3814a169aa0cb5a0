using System.Diagnostics;
using Facemoji.Engine;
using Facemoji.Imaging;
using Facemoji.Imaging.Formats.Jpeg;
using Facemoji.Imaging.Formats.Png;
using Facemoji.Imaging.Processing;

namespace Facemoji.Benchmarks.Imaging;

/// <summary>
/// The codec workloads bench/imaging_opencv.py times with cv2.imdecode: decoding small gray JPEGs (FER2013's
/// 48x48 files, or crops of the sample photo when the data set is absent) and decoding the 512x512 sample PNG.
/// All in memory and on one thread, so that only the decoders are measured. Warm-up first, then repeats.
/// </summary>
public static class ImagingBenchmark
{
    public const string DefaultPng = "third_party/skimage/astronaut.png";
    public const string DefaultJpegFolder = "/work/shared/data/fer2013/train";

    public static ImagingBenchmarkResult Run(string pngPath, IReadOnlyList<byte[]> jpegs, int repeats = 7)
    {
        if (jpegs.Count == 0)
        {
            throw new FacemojiException("The imaging benchmark needs at least one JPEG.");
        }

        byte[] png = ReadFile(pngPath);
        PngHeader header = PngDecoder.ReadHeader(png, pngPath);

        foreach (byte[] jpeg in jpegs.Take(200))
        {
            JpegDecoder.DecodeGray(jpeg, "warm-up");
        }

        var jpegRates = new List<double>(repeats);
        for (int r = 0; r < repeats; r++)
        {
            long start = Stopwatch.GetTimestamp();
            foreach (byte[] jpeg in jpegs)
            {
                JpegDecoder.DecodeGray(jpeg, "benchmark");
            }

            jpegRates.Add(jpegs.Count / Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        double rgba = Median(Time(() => PngDecoder.Decode(png, pngPath), repeats));
        double gray = Median(Time(() => PngDecoder.DecodeGray(png, pngPath), repeats));
        return new ImagingBenchmarkResult(jpegs.Count, Median(jpegRates), Path.GetFileName(pngPath), header.Width, header.Height, rgba, gray);
    }

    /// <summary>Every *.jpg under <paramref name="folder"/> (recursively, sorted), at most <paramref name="limit"/>.</summary>
    public static List<byte[]> ReadJpegs(string folder, int limit = 5000) =>
        [.. Directory.EnumerateFiles(folder, "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(limit).Select(ReadFile)];

    /// <summary>48x48 gray JPEGs (quality 90) cut from the sample photo: a stand-in when FER2013 is not on the machine.</summary>
    public static List<byte[]> SyntheticJpegs(string pngPath, int count = 2000)
    {
        GrayImage photo = PngDecoder.DecodeGray(ReadFile(pngPath), pngPath);
        var jpegs = new List<byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            int size = 48 + i % 97 * 4;
            int x = i * 37 % (photo.Width - size), y = i * 53 % (photo.Height - size);
            GrayImage crop = Resizer.Resize(Cropping.Crop(photo, new PixelRect(x, y, size, size)), 48, 48, ResizeMode.Area);
            jpegs.Add(JpegEncoder.Encode(crop, 90));
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
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FacemojiException($"Cannot read benchmark input '{path}': {e.Message}", e);
        }
    }
}
