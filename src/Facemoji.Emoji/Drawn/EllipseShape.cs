using System.Numerics;

namespace Facemoji.Emoji.Drawn;

/// <summary>An axis-aligned ellipse; the distance is Quilez's first-order estimate, exact on the outline.</summary>
internal sealed class EllipseShape(Vector2 center, Vector2 radii) : FaceShape
{
    public Vector2 Center { get; } = center;

    public Vector2 Radii { get; } = radii;

    public override float Distance(Vector2 point)
    {
        Vector2 q = point - Center;
        float k0 = (q / Radii).Length();
        float k1 = (q / (Radii * Radii)).Length();
        return k1 == 0 ? -MathF.Min(Radii.X, Radii.Y) : k0 * (k0 - 1) / k1;
    }

    public override (Vector2 Min, Vector2 Max) Bounds => (Center - Radii, Center + Radii);
}
