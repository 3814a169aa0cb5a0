using System.Numerics;

namespace Facemoji.Emoji.Drawn;

/// <summary>One colour at one opacity.</summary>
internal sealed class SolidPaint(Vector3 color, float alpha = 1) : FacePaint
{
    public Vector3 Color { get; } = color;

    public float Alpha { get; } = alpha;

    public override (Vector3 Color, float Alpha) At(Vector2 point) => (Color, Alpha);
}
