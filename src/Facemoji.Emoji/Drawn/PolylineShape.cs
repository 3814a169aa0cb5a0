using System.Numerics;

namespace Facemoji.Emoji.Drawn;

/// <summary>An open polyline stroked with round caps and joins (brows, the vein symbol, tear streams).</summary>
internal sealed class PolylineShape(Vector2[] points, float halfWidth) : FaceShape
{
    public IReadOnlyList<Vector2> Points => points;

    public float HalfWidth { get; } = halfWidth;

    public override float Distance(Vector2 point)
    {
        float best = float.MaxValue;
        for (int i = 1; i < points.Length; i++)
        {
            Vector2 a = points[i - 1], edge = points[i] - a, w = point - a;
            float lengthSquared = edge.LengthSquared();
            float t = lengthSquared > 0 ? Math.Clamp(Vector2.Dot(w, edge) / lengthSquared, 0, 1) : 0;
            best = MathF.Min(best, (w - edge * t).LengthSquared());
        }

        return MathF.Sqrt(best) - HalfWidth;
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

            return (min - new Vector2(HalfWidth), max + new Vector2(HalfWidth));
        }
    }
}
