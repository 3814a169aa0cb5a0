using System.Numerics;

namespace Facemoji.Emoji.Drawn;

/// <summary>How a face layer is coloured at a point: a colour (sRGB 0..1) and an opacity.</summary>
internal abstract class FacePaint
{
    public abstract (Vector3 Color, float Alpha) At(Vector2 point);
}
