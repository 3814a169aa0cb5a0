using System.Numerics;

namespace Facemoji.Emoji.Drawn;

/// <summary>A linear gradient from <see cref="Top"/> at y = <see cref="Y0"/> to <see cref="Bottom"/> at y = <see cref="Y1"/>, padded beyond (SVG's linearGradient).</summary>
internal sealed class VerticalGradientPaint(Vector3 top, Vector3 bottom, float y0, float y1) : FacePaint
{
    public Vector3 Top { get; } = top;

    public Vector3 Bottom { get; } = bottom;

    public float Y0 { get; } = y0;

    public float Y1 { get; } = y1;

    public override (Vector3 Color, float Alpha) At(Vector2 point)
    {
        float t = Math.Clamp((point.Y - Y0) / (Y1 - Y0), 0, 1);
        return (Vector3.Lerp(Top, Bottom, t), 1);
    }
}
