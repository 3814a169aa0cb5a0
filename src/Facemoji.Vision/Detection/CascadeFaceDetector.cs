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

    public IReadOnlyList<DetectedFace> Detect(GrayImage gray, RgbaImage? color) =>
        Detector.Detect(gray, Options).Select(DetectedFace.Upright).ToList();

    public IReadOnlyList<DetectedFace> DetectNear(GrayImage gray, RgbaImage? color, DetectedFace near)
    {
        var box = near.Box;
        int growX = (int)(box.Width * RegionGrowth), growY = (int)(box.Height * RegionGrowth);
        var region = new PixelRect(box.X - growX, box.Y - growY, box.Width + (2 * growX), box.Height + (2 * growY)).ClipTo(gray.Width, gray.Height);
        return Detector.DetectInRegion(gray, region, Options).Select(DetectedFace.Upright).ToList();
    }
}
