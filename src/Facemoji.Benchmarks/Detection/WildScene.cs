using Facemoji.Expressions;
using Facemoji.Imaging;

namespace Facemoji.Benchmarks.Detection;

/// <summary>
/// One picture of the "faces in the wild" check: a 640x480 scene, the transform that made it, and the face in it
/// (centre and side in pixels, its FER2013 label when it is one) or none for a face-free picture.
/// </summary>
public sealed record WildScene(string Transform, RgbaImage Image, double FaceX, double FaceY, double FaceSide, Emotion? Label)
{
    public bool HasFace => FaceSide > 0;
}
