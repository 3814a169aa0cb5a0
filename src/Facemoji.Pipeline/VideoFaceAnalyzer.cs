using System.Diagnostics;
using Facemoji.Imaging;
using Facemoji.Imaging.Processing;
using Facemoji.Pipeline.Tracking;
using Facemoji.Vision.Detection;

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

    private readonly FaceAnalyzer analyzer;
    private readonly FaceTracker tracker = new();

    // The faces found last frame: their roll turns the square the detector searches around each tracked face.
    private IReadOnlyList<DetectedFace> lastFaces = [];
    private int frameIndex = -1;
    private int framesSinceFullScan = int.MaxValue / 2;
    private double? lastTime;

    public VideoFaceAnalyzer(FaceAnalyzer analyzer) => this.analyzer = analyzer;

    /// <summary>Time spent in each stage so far: detection, classification (the rest is the caller's).</summary>
    public TimeSpan DetectTime { get; private set; }

    public TimeSpan ClassifyTime { get; private set; }

    public int FullScans { get; private set; }

    public IReadOnlyList<TrackedFace> Process(RgbaImage frame, double timeSeconds) => Process(ColorConversion.ToGray(frame), frame, timeSeconds);

    public IReadOnlyList<TrackedFace> Process(GrayImage gray, double timeSeconds) => Process(gray, null, timeSeconds);

    private IReadOnlyList<TrackedFace> Process(GrayImage gray, RgbaImage? color, double timeSeconds)
    {
        frameIndex++;
        double elapsed = lastTime is { } t ? Math.Max(0, timeSeconds - t) : 0;
        lastTime = timeSeconds;

        long start = Stopwatch.GetTimestamp();
        var faces = FindFaces(gray, color);
        lastFaces = faces;
        long detected = Stopwatch.GetTimestamp();
        var analyses = analyzer.Classify(gray, faces);
        long classified = Stopwatch.GetTimestamp();
        DetectTime += Stopwatch.GetElapsedTime(start, detected);
        ClassifyTime += Stopwatch.GetElapsedTime(detected, classified);

        var detections = analyses.Select(a => (a.Box, a.Reading.Probabilities.ToArray(), a.Score, a.Landmarks.Count > 0 ? a.Roll : (double?)null)).ToList();
        return tracker.UpdateRolled(detections, elapsed);
    }

    private IReadOnlyList<DetectedFace> FindFaces(GrayImage gray, RgbaImage? color)
    {
        var tracked = tracker.ActiveBoxes;
        framesSinceFullScan++;
        int interval = tracked.Count == 0 ? SearchInterval : FullScanInterval;
        if (framesSinceFullScan >= interval)
        {
            framesSinceFullScan = 0;
            FullScans++;
            return analyzer.Detector.Detect(gray, color);
        }

        var found = new List<DetectedFace>();
        foreach (var box in tracked)
        {
            // The track's box with the roll of the face last seen there: a rolled head is searched for turned.
            double roll = lastFaces.Where(f => f.Box.IoU(box) > 0.3).Select(f => f.Roll).FirstOrDefault();
            var near = DetectedFace.Upright(box) with { Roll = roll };
            foreach (var candidate in analyzer.Detector.DetectNear(gray, color, near))
            {
                // Regions of neighbouring faces overlap: keep one box per face.
                if (!found.Any(f => f.Box.IoU(candidate.Box) > 0.5))
                {
                    found.Add(candidate);
                }
            }
        }

        return found;
    }
}
