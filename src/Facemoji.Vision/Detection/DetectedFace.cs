using Facemoji.Imaging;

namespace Facemoji.Vision.Detection;

/// <summary>
/// A face a detector found. <see cref="Box"/> is the face's box in its own upright frame: centred on the face,
/// as wide and high as the face, turned by <see cref="Roll"/> degrees in the image (clockwise positive, the way
/// the head leans when its left eye, on the right of the picture, is lower). Cascade detectors find upright faces
/// only: roll 0 and no landmarks. BlazeFace gives the six named points of <see cref="FaceLandmarks.Names"/>.
/// </summary>
public sealed record DetectedFace(PixelRect Box, double Score, double Roll, IReadOnlyList<FacePoint> Landmarks)
{
    public static DetectedFace Upright(PixelRect box) => new(box, 1, 0, []);

    public bool HasLandmarks => Landmarks.Count == FaceLandmarks.Names.Count;

    public FacePoint Center => new(Box.X + (Box.Width / 2.0), Box.Y + (Box.Height / 2.0));
}
