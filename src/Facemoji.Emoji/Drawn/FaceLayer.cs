using System.Numerics;

namespace Facemoji.Emoji.Drawn;

/// <summary>
/// One layer of the drawn face, composited back to front: the shape filled with <paramref name="Fill"/>
/// (if any), then its outline stroked (if <paramref name="StrokeWidth"/> &gt; 0), both cut to
/// <paramref name="Clip"/> (if any).
/// </summary>
internal sealed record FaceLayer(
    FaceShape Shape,
    FacePaint? Fill,
    FaceShape? Clip = null,
    Vector3 StrokeColor = default,
    float StrokeWidth = 0,
    float StrokeAlpha = 1);
