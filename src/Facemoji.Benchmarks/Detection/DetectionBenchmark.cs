using System.Diagnostics;
using System.Text;
using Facemoji.Engine;
using Facemoji.Imaging;
using Facemoji.Vision.Cascades;
using Facemoji.Vision.Detection;

namespace Facemoji.Benchmarks.Detection;

/// <summary>
/// Face detection speed on one frame, the workload bench/detect_opencv.py times with OpenCV: the same frame
/// (tests/Facemoji.Vision.Tests/Fixtures/detector/frame_640x480.pgm), the same cascade and options (scale factor
/// 1.1, 5 neighbours, min size 40x40). Warm-up frames first (JIT, buffers), then repeats of timed frames.
/// </summary>
public static class DetectionBenchmark
{
    public const string DefaultFrame = "tests/Facemoji.Vision.Tests/Fixtures/detector/frame_640x480.pgm";

    /// <summary>
    /// <c>facemoji bench detect</c>: the cascade (OpenCV's default frontal face cascade when <paramref name="cascadePath"/>
    /// is null) on the PGM frame at <paramref name="framePath"/>, once per thread count; <paramref name="quick"/> times
    /// 3 repeats of 5 frames instead of 7 of 20. Leaves <see cref="ParallelRows.MaxDegreeOfParallelism"/> at the last count.
    /// </summary>
    public static IReadOnlyList<(int Threads, DetectionBenchmarkResult Result)> RunAcrossThreads(
        string framePath, string? cascadePath, DetectionOptions options, IReadOnlyList<int> threadCounts, bool quick)
    {
        options.Validate();
        string cascade = cascadePath ?? CascadeFiles.Locate(CascadeClassifier.DefaultPath);
        GrayImage frame = ReadPgm(framePath);
        (int framesPerRepeat, int repeats) = quick ? (5, 3) : (20, 7);
        var results = new List<(int Threads, DetectionBenchmarkResult Result)>();
        foreach (int threads in threadCounts)
        {
            ParallelRows.MaxDegreeOfParallelism = threads;
            results.Add((threads, Run(frame, cascade, options, framesPerRepeat, repeats)));
        }

        return results;
    }

    public static DetectionBenchmarkResult Run(GrayImage frame, string cascadePath, DetectionOptions options, int framesPerRepeat = 20, int repeats = 7, int warmup = 5)
    {
        var detector = new FaceDetector(CascadeClassifier.Load(cascadePath));
        int faces = 0;
        for (int i = 0; i < warmup; i++)
        {
            faces = detector.Detect(frame, options).Count;
        }

        var times = new List<double>(repeats);
        double pyramid = 0, scan = 0;
        for (int r = 0; r < repeats; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < framesPerRepeat; i++)
            {
                detector.Detect(frame, options);
                pyramid += detector.LastPyramidTime.TotalMilliseconds;
                scan += detector.LastScanTime.TotalMilliseconds;
            }

            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds / framesPerRepeat);
        }

        int frames = repeats * framesPerRepeat;
        return new DetectionBenchmarkResult(Path.GetFileName(cascadePath), frame.Width, frame.Height, framesPerRepeat, times, faces, pyramid / frames, scan / frames);
    }

    /// <summary>Reads a binary 8-bit PGM (P5), the format of the detector fixtures.</summary>
    public static GrayImage ReadPgm(string path)
    {
        byte[] data;
        try
        {
            data = BoundedFile.ReadAllBytes(path, ImageCodecs.MaxFileBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FacemojiException($"Cannot read benchmark frame '{path}': {e.Message}", e);
        }

        int position = 0;
        string[] header = new string[4];
        for (int i = 0; i < 4; i++)
        {
            while (position < data.Length && char.IsWhiteSpace((char)data[position]))
            {
                position++;
            }

            int start = position;
            while (position < data.Length && !char.IsWhiteSpace((char)data[position]))
            {
                position++;
            }

            header[i] = Encoding.ASCII.GetString(data, start, position - start);
        }

        if (header[0] != "P5" || !int.TryParse(header[1], out int width) || !int.TryParse(header[2], out int height) || header[3] != "255" ||
            width <= 0 || height <= 0 || data.Length - position - 1 < (long)width * height)
        {
            throw new FacemojiException($"Benchmark frame '{path}' is not an 8-bit binary PGM (P5).");
        }

        return new GrayImage(width, height, data.AsSpan(position + 1, width * height).ToArray());
    }
}
