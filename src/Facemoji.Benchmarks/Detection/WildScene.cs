using Facemoji.Expressions;
using Facemoji.Imaging;

namespace Facemoji.Benchmarks.Detection;

/// <summary>
/// One picture of the "faces in the wild" check: a 640x480 scene, the transform that made it, and the face in it
/// (centre and side in pixels, its FER2013 label when it is one) or none for a face-free picture. <paramref name="FaceIndex"/>
/// names the pasted picture (the same in each transform of it, -1 for none); <paramref name="Turn"/> is the angle the
/// scene was turned by about the face, degrees, clockwise positive as <c>DetectedFace.Roll</c> (the face's roll grows by it).
/// </summary>
public sealed record WildScene(string Transform, RgbaImage Image, double FaceX, double FaceY, double FaceSide, Emotion? Label, int FaceIndex = -1, double Turn = 0)
{
    public bool HasFace => FaceSide > 0;
}
