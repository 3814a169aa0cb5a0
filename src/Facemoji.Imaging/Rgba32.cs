namespace Facemoji.Imaging;

/// <summary>A colour with straight (not premultiplied) alpha, 0..255 each; A = 255 is opaque.</summary>
public readonly record struct Rgba32(byte R, byte G, byte B, byte A = 255)
{
    public static Rgba32 Black => new(0, 0, 0);

    public static Rgba32 White => new(255, 255, 255);

    public static Rgba32 Transparent => new(0, 0, 0, 0);

    /// <summary>The same colour with another alpha.</summary>
    public Rgba32 WithAlpha(byte alpha) => this with { A = alpha };
}
