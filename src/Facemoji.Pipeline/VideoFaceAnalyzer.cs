using System.Diagnostics;
using Facemoji.Imaging;
using Facemoji.Imaging.Processing;
using Facemoji.Pipeline.Tracking;

namespace Facemoji.Pipeline;

/// <summary>
/// Faces in a stream of frames (a video file or a live camera): follows each face with a stable id and smooths
/// its reading over time. A full-frame scan runs every <see cref="FullScanInterval"/> frames to find new faces
/// (every <see cref="SearchInterval"/> frames while none is tracked); in between, the detector searches only a
/// region around each tracked face, which costs a fraction of a full scan. Not thread-safe.
/// </summary>
public sealed class VideoFaceAnalyzer
{
    public const int FullScanInterval = 10;
    public const int SearchInterval = 3;

    // A tracked face is looked for in its box grown by this fraction of its size on every side.
    private const double RegionGrowth = 0.5;

    private readonly FaceAnalyzer analyzer;
    private readonly FaceTracker tracker = new();
    private int frameIndex = -1;
    private int framesSinceFullScan = int.MaxValue / 2;
    private double? lastTime;

    public VideoFaceAnalyzer(FaceAnalyzer analyzer) => this.analyzer = analyzer;

    /// <summary>Time spent in each stage so far: detection, classification (the rest is the caller's).</summary>
    public TimeSpan DetectTime { get; private set; }

    public TimeSpan ClassifyTime { get; private set; }

    public int FullScans { get; private set; }

    public IReadOnlyList<TrackedFace> Process(RgbaImage frame, double timeSeconds) => Process(ColorConversion.ToGray(frame), timeSeconds);

    public IReadOnlyList<TrackedFace> Process(GrayImage gray, double timeSeconds)
    {
        frameIndex++;
        double elapsed = lastTime is { } t ? Math.Max(0, timeSeconds - t) : 0;
        lastTime = timeSeconds;

        long start = Stopwatch.GetTimestamp();
        var boxes = FindFaces(gray);
        long detected = Stopwatch.GetTimestamp();
        var analyses = analyzer.Classify(gray, boxes);
        long classified = Stopwatch.GetTimestamp();
        DetectTime += Stopwatch.GetElapsedTime(start, detected);
        ClassifyTime += Stopwatch.GetElapsedTime(detected, classified);

        var detections = analyses.Select(a => (a.Box, a.Reading.Probabilities.ToArray())).ToList();
        return tracker.Update(detections, elapsed);
    }

    private IReadOnlyList<PixelRect> FindFaces(GrayImage gray)
    {
        var tracked = tracker.ActiveBoxes;
        framesSinceFullScan++;
        int interval = tracked.Count == 0 ? SearchInterval : FullScanInterval;
        if (framesSinceFullScan >= interval)
        {
            framesSinceFullScan = 0;
            FullScans++;
            return analyzer.Detector.Detect(gray, analyzer.Options.Detection);
        }

        var found = new List<PixelRect>();
        foreach (var box in tracked)
        {
            int growX = (int)(box.Width * RegionGrowth), growY = (int)(box.Height * RegionGrowth);
            var region = new PixelRect(box.X - growX, box.Y - growY, box.Width + 2 * growX, box.Height + 2 * growY).ClipTo(gray.Width, gray.Height);
            foreach (var candidate in analyzer.Detector.DetectInRegion(gray, region, analyzer.Options.Detection))
            {
                // Regions of neighbouring faces overlap: keep one box per face.
                if (!found.Any(f => f.IoU(candidate) > 0.5))
                {
                    found.Add(candidate);
                }
            }
        }

        return found;
    }
}
