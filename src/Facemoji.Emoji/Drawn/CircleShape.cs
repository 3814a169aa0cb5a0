using System.Numerics;

namespace Facemoji.Emoji.Drawn;

/// <summary>A disc.</summary>
internal sealed class CircleShape(Vector2 center, float radius) : FaceShape
{
    public Vector2 Center { get; } = center;

    public float Radius { get; } = radius;

    public override float Distance(Vector2 point) => Vector2.Distance(point, Center) - Radius;

    public override (Vector2 Min, Vector2 Max) Bounds => (Center - new Vector2(Radius), Center + new Vector2(Radius));
}
