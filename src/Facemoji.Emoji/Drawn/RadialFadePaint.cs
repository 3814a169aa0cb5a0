using System.Numerics;

namespace Facemoji.Emoji.Drawn;

/// <summary>
/// One colour whose opacity runs from <see cref="InnerAlpha"/> (up to the normalised radius
/// <see cref="Start"/>) to <see cref="OuterAlpha"/> (at the ellipse's rim and beyond): highlights, shading
/// and blush. Identical to an SVG radialGradient with two stops and pad spread.
/// </summary>
internal sealed class RadialFadePaint(Vector3 color, Vector2 center, Vector2 radii, float innerAlpha, float outerAlpha, float start) : FacePaint
{
    public Vector3 Color { get; } = color;

    public Vector2 Center { get; } = center;

    public Vector2 Radii { get; } = radii;

    public float InnerAlpha { get; } = innerAlpha;

    public float OuterAlpha { get; } = outerAlpha;

    public float Start { get; } = start;

    public override (Vector3 Color, float Alpha) At(Vector2 point)
    {
        float r = ((point - Center) / Radii).Length();
        float t = Math.Clamp((r - Start) / (1 - Start), 0, 1);
        return (Color, InnerAlpha + (OuterAlpha - InnerAlpha) * t);
    }
}
