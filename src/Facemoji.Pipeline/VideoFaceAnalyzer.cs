using System.Diagnostics;
using Facemoji.Imaging;
using Facemoji.Imaging.Processing;
using Facemoji.Pipeline.Tracking;
using Facemoji.Vision.Detection;

namespace Facemoji.Pipeline;

/// <summary>
/// Faces in a stream of frames (a video file or a live camera): follows each face with a stable id and smooths
/// its reading over time. Every frame, the detector searches a region around each tracked face, which costs a
/// fraction of a full scan. New faces: with a cascade, a full-frame scan runs every <see cref="FullScanInterval"/>
/// frames (every <see cref="SearchInterval"/> frames while none is tracked); with a detector whose whole-frame search
/// is many looks (<see cref="ISplitSearchDetector"/>, BlazeFace), the looks are spread over the frames instead
/// (<see cref="StaggeredSearch"/>), and a tracked face one of them found needs no look of its own. Not thread-safe.
/// </summary>
public sealed class VideoFaceAnalyzer
{
    public const int FullScanInterval = 10;
    public const int SearchInterval = 3;

    // A face a search look saw turned by at most this much (degrees) from the look's angle counts as seen upright.
    private const double UprightEnough = 10;

    private readonly FaceAnalyzer analyzer;
    private readonly FaceTracker tracker = new();
    private readonly StaggeredSearch? staggered;

    // The faces found last frame: their roll turns the square the detector searches around each tracked face.
    private IReadOnlyList<DetectedFace> lastFaces = [];
    private int frameIndex = -1;
    private int framesSinceFullScan = int.MaxValue / 2;
    private double? lastTime;

    public VideoFaceAnalyzer(FaceAnalyzer analyzer)
    {
        this.analyzer = analyzer;
        if (analyzer.Detector is ISplitSearchDetector split)
        {
            staggered = new StaggeredSearch(split.SearchSquares);
        }
    }

    /// <summary>Time spent in each stage so far: detection, classification (the rest is the caller's).</summary>
    public TimeSpan DetectTime { get; private set; }

    public TimeSpan ClassifyTime { get; private set; }

    /// <summary>Full-frame scans so far (a split detector's whole search runs on the first frame only).</summary>
    public int FullScans { get; private set; }

    /// <summary>Looks of a split detector's whole-frame search run so far (<see cref="StaggeredSearch"/>).</summary>
    public int SearchLooks { get; private set; }

    /// <summary>The staggered search of a split detector (null for the cascades): tests read its round length.</summary>
    internal StaggeredSearch? Staggered => staggered;

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
        if (staggered is not null)
        {
            return FindFacesStaggered(gray, color, tracked);
        }

        framesSinceFullScan++;
        int interval = tracked.Count == 0 ? SearchInterval : FullScanInterval;
        if (framesSinceFullScan >= interval)
        {
            framesSinceFullScan = 0;
            FullScans++;
            return analyzer.Detector.Detect(gray, color);
        }

        return AddNearFaces(gray, color, tracked, []);
    }

    private List<DetectedFace> FindFacesStaggered(GrayImage gray, RgbaImage? color, IReadOnlyList<PixelRect> tracked)
    {
        var looks = staggered!.Next(gray.Width, gray.Height, tracked.Count);
        if (looks.Count == 0)
        {
            return AddNearFaces(gray, color, tracked, []);
        }

        SearchLooks += looks.Count;
        if (looks.Count == staggered.SquareCount)
        {
            // The first frame gets every look, not the photo search that stops at the first stage finding a face:
            // the staggered looks that follow assume the whole search was run once.
            FullScans++;
            return AddNearFaces(gray, color, tracked, ((ISplitSearchDetector)analyzer.Detector).DetectEverywhere(gray, color).ToList());
        }

        var found = ((ISplitSearchDetector)analyzer.Detector).DetectInSquares(gray, color, looks).ToList();

        // A tracked face that this frame's one look saw nearly upright (as the look around it would) needs no look
        // of its own; one seen turned is looked at around its box as usual, and that view replaces the turned one.
        var seen = looks.Count == 1
            ? found.Where(f => Math.Abs(Math.IEEERemainder(f.Roll - looks[0].Angle, 360)) <= UprightEnough).ToList()
            : [];
        var unseen = tracked.Where(box => !seen.Any(f => f.Box.IoU(box) >= FaceTracker.MinimumIoU)).ToList();
        var others = found.Where(f => seen.Contains(f) || !unseen.Any(box => f.Box.IoU(box) >= FaceTracker.MinimumIoU)).ToList();
        return AddNearFaces(gray, color, unseen, others);
    }

    // Searches around each tracked box and adds what it finds to found, one box per face.
    private List<DetectedFace> AddNearFaces(GrayImage gray, RgbaImage? color, IReadOnlyList<PixelRect> tracked, List<DetectedFace> found)
    {
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
