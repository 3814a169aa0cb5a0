using Facemoji.Imaging;

namespace Facemoji.Vision.Detection;

/// <summary>The OpenCV cascade detector (<see cref="FaceDetector"/>) with its settings, as an <see cref="IFaceDetector"/>.</summary>
public sealed class CascadeFaceDetector(string name, FaceDetector detector, DetectionOptions options) : IFaceDetector
{
    // A tracked face is looked for in its box grown by this fraction of its size on every side.
    private const double RegionGrowth = 0.5;

    public string Name { get; } = name;

    public FaceDetector Detector { get; } = detector;

    public DetectionOptions Options { get; } = options;

    /// <summary>
    /// The neighbour count that scores 0.5. A face in view draws dozens of overlapping hits across positions and
    /// scales; a chance pattern in the background just passes the minimum (5 by default, score 0.33 at 5).
    /// </summary>
    public const int HalfScoreNeighbours = 10;

    /// <summary>A grouped box's neighbour count as a score in [0, 1): n / (n + <see cref="HalfScoreNeighbours"/>), rising with n.</summary>
    public static double NeighbourScore(int neighbours) => neighbours / (double)(neighbours + HalfScoreNeighbours);

    public IReadOnlyList<DetectedFace> Detect(GrayImage gray, RgbaImage? color) =>
        Detector.DetectWithNeighbours(gray, Options).Select(Scored).ToList();

    public IReadOnlyList<DetectedFace> DetectNear(GrayImage gray, RgbaImage? color, DetectedFace near)
    {
        var box = near.Box;
        int growX = (int)(box.Width * RegionGrowth), growY = (int)(box.Height * RegionGrowth);
        var region = new PixelRect(box.X - growX, box.Y - growY, box.Width + (2 * growX), box.Height + (2 * growY)).ClipTo(gray.Width, gray.Height);
        return Detector.DetectInRegionWithNeighbours(gray, region, Options).Select(Scored).ToList();
    }

    private static DetectedFace Scored((PixelRect Box, int Neighbours) found) =>
        DetectedFace.Upright(found.Box) with { Score = NeighbourScore(found.Neighbours) };
}
