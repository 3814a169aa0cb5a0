using System.Numerics;

namespace Facemoji.Emoji.Drawn;

/// <summary>
/// A shape of the drawn face in face units with its signed distance (negative inside). The rasteriser turns
/// the distance into anti-aliased coverage at any size; the SVG writer emits the same shape as an element.
/// </summary>
internal abstract class FaceShape
{
    /// <summary>Signed distance from <paramref name="point"/> to the outline, negative inside.</summary>
    public abstract float Distance(Vector2 point);

    /// <summary>Axis-aligned bounds of the region where the distance is negative.</summary>
    public abstract (Vector2 Min, Vector2 Max) Bounds { get; }
}
