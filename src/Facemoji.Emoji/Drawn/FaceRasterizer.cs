using System.Numerics;
using Facemoji.Imaging;

namespace Facemoji.Emoji.Drawn;

/// <summary>
/// Draws face layers into an RGBA square of any size. Each layer's signed distance, measured in pixels,
/// gives the coverage of a pixel (0.5 - d, clamped): a one-pixel anti-aliased edge at every size, without
/// supersampling. Layers are composited back to front in premultiplied floats; the result is straight alpha.
/// Deterministic: the same parameters and size always give the same bytes.
/// </summary>
internal static class FaceRasterizer
{
    /// <summary>Strokes never get thinner than this many pixels, so that outlines survive at 32 px.</summary>
    private const float MinimumStrokePixels = 0.9f;

    public static RgbaImage Render(IReadOnlyList<FaceLayer> layers, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        float pixelsPerUnit = size / (2 * FaceGeometry.Extent);
        var premultiplied = new Vector4[size * size];
        foreach (var layer in layers)
        {
            Composite(layer, premultiplied, size, pixelsPerUnit);
        }

        var image = new RgbaImage(size, size);
        var pixels = image.Pixels;
        for (int i = 0; i < premultiplied.Length; i++)
        {
            Vector4 p = premultiplied[i];
            if (p.W <= 0)
            {
                continue;
            }

            float alpha = MathF.Min(p.W, 1);
            pixels[i * 4] = ToByte(p.X / alpha);
            pixels[i * 4 + 1] = ToByte(p.Y / alpha);
            pixels[i * 4 + 2] = ToByte(p.Z / alpha);
            pixels[i * 4 + 3] = ToByte(alpha);
        }

        return image;
    }

    private static void Composite(FaceLayer layer, Vector4[] target, int size, float pixelsPerUnit)
    {
        float strokeWidth = layer.StrokeWidth > 0 ? MathF.Max(layer.StrokeWidth, MinimumStrokePixels / pixelsPerUnit) : 0;
        var (min, max) = layer.Shape.Bounds;
        float grow = strokeWidth / 2 + 1.5f / pixelsPerUnit;
        if (layer.Clip is not null)
        {
            var (clipMin, clipMax) = layer.Clip.Bounds;
            min = Vector2.Max(min, clipMin);
            max = Vector2.Min(max, clipMax);
        }

        int x0 = Math.Max(0, (int)MathF.Floor((min.X - grow + FaceGeometry.Extent) * pixelsPerUnit));
        int y0 = Math.Max(0, (int)MathF.Floor((min.Y - grow + FaceGeometry.Extent) * pixelsPerUnit));
        int x1 = Math.Min(size, (int)MathF.Ceiling((max.X + grow + FaceGeometry.Extent) * pixelsPerUnit));
        int y1 = Math.Min(size, (int)MathF.Ceiling((max.Y + grow + FaceGeometry.Extent) * pixelsPerUnit));
        for (int y = y0; y < y1; y++)
        {
            float fy = (y + 0.5f) / pixelsPerUnit - FaceGeometry.Extent;
            for (int x = x0; x < x1; x++)
            {
                var point = new Vector2((x + 0.5f) / pixelsPerUnit - FaceGeometry.Extent, fy);
                float distance = layer.Shape.Distance(point);
                float clip = layer.Clip?.Distance(point) ?? float.MinValue;
                ref Vector4 pixel = ref target[y * size + x];
                if (layer.Fill is not null)
                {
                    float coverage = Coverage(MathF.Max(distance, clip), pixelsPerUnit);
                    if (coverage > 0)
                    {
                        var (color, alpha) = layer.Fill.At(point);
                        Over(ref pixel, color, alpha * coverage);
                    }
                }

                if (strokeWidth > 0)
                {
                    float coverage = Coverage(MathF.Max(MathF.Abs(distance) - strokeWidth / 2, clip), pixelsPerUnit);
                    if (coverage > 0)
                    {
                        Over(ref pixel, layer.StrokeColor, layer.StrokeAlpha * coverage);
                    }
                }
            }
        }
    }

    private static float Coverage(float distance, float pixelsPerUnit) => Math.Clamp(0.5f - distance * pixelsPerUnit, 0, 1);

    private static void Over(ref Vector4 pixel, Vector3 color, float alpha)
    {
        if (alpha <= 0)
        {
            return;
        }

        pixel = new Vector4(color * alpha, alpha) + pixel * (1 - alpha);
    }

    private static byte ToByte(float value) => (byte)Math.Clamp((int)MathF.Round(value * 255), 0, 255);
}
