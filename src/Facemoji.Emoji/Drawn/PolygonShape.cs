using System.Numerics;

namespace Facemoji.Emoji.Drawn;

/// <summary>
/// A closed polygon grown by <see cref="Round"/> (a round-joined dilation): lips, eyes, drops. A polygon of
/// zero area with a round is a thick line with round caps, which is how a closed mouth is drawn.
/// </summary>
internal sealed class PolygonShape(Vector2[] points, float round) : FaceShape
{
    public IReadOnlyList<Vector2> Points => points;

    public float Round { get; } = round;

    public override float Distance(Vector2 point)
    {
        // Quilez's polygon distance: nearest segment for the magnitude, crossing parity for the sign.
        float best = float.MaxValue;
        bool inside = false;
        for (int i = 0, j = points.Length - 1; i < points.Length; j = i, i++)
        {
            Vector2 a = points[j], b = points[i];
            Vector2 edge = b - a, w = point - a;
            float lengthSquared = edge.LengthSquared();
            float t = lengthSquared > 0 ? Math.Clamp(Vector2.Dot(w, edge) / lengthSquared, 0, 1) : 0;
            best = MathF.Min(best, (w - edge * t).LengthSquared());
            if ((a.Y > point.Y) != (b.Y > point.Y) && point.X < a.X + (point.Y - a.Y) * edge.X / edge.Y)
            {
                inside = !inside;
            }
        }

        float distance = MathF.Sqrt(best);
        return (inside ? -distance : distance) - Round;
    }

    public override (Vector2 Min, Vector2 Max) Bounds
    {
        get
        {
            Vector2 min = new(float.MaxValue), max = new(float.MinValue);
            foreach (var p in points)
            {
                min = Vector2.Min(min, p);
                max = Vector2.Max(max, p);
            }

            return (min - new Vector2(Round), max + new Vector2(Round));
        }
    }
}
