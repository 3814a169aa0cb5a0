using System.Numerics;
using Facemoji.Imaging;

namespace Facemoji.Emoji.Drawn;

/// <summary>
/// Draws face layers into an RGBA square of any size. Each layer's signed distance, measured in pixels,
/// gives the coverage of a pixel (0.5 - d, clamped): a one-pixel anti-aliased edge at every size, without
/// supersampling. Per pixel the layers are composited back to front in premultiplied floats (straight alpha
/// out); rows run in parallel through <see cref="ParallelRows"/>. Deterministic: the same parameters and
/// size always give the same bytes, whatever the thread count.
/// </summary>
internal static class FaceRasterizer
{
    /// <summary>Strokes never get thinner than this many pixels, so that outlines survive at 32 px.</summary>
    private const float MinimumStrokePixels = 0.9f;

    public static RgbaImage Render(IReadOnlyList<FaceLayer> layers, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        float pixelsPerUnit = size / (2 * FaceGeometry.Extent);
        var plans = new LayerPlan[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            plans[i] = Plan(layers[i], size, pixelsPerUnit);
        }

        var image = new RgbaImage(size, size);
        ParallelRows.For(size, Math.Max(1, 4096 / size), new RowOperation(plans, image.Pixels, size, pixelsPerUnit));
        return image;
    }

    /// <summary>A layer with its stroke width in face units and the pixel rectangle it can touch.</summary>
    private readonly record struct LayerPlan(FaceLayer Layer, float StrokeWidth, int X0, int Y0, int X1, int Y1);

    private static LayerPlan Plan(FaceLayer layer, int size, float pixelsPerUnit)
    {
        float strokeWidth = layer.StrokeWidth > 0 ? MathF.Max(layer.StrokeWidth, MinimumStrokePixels / pixelsPerUnit) : 0;
        var (min, max) = layer.Shape.Bounds;
        if (layer.Clip is not null)
        {
            var (clipMin, clipMax) = layer.Clip.Bounds;
            min = Vector2.Max(min, clipMin);
            max = Vector2.Min(max, clipMax);
        }

        float grow = strokeWidth / 2 + 1.5f / pixelsPerUnit;
        int x0 = Math.Max(0, (int)MathF.Floor((min.X - grow + FaceGeometry.Extent) * pixelsPerUnit));
        int y0 = Math.Max(0, (int)MathF.Floor((min.Y - grow + FaceGeometry.Extent) * pixelsPerUnit));
        int x1 = Math.Min(size, (int)MathF.Ceiling((max.X + grow + FaceGeometry.Extent) * pixelsPerUnit));
        int y1 = Math.Min(size, (int)MathF.Ceiling((max.Y + grow + FaceGeometry.Extent) * pixelsPerUnit));
        return new LayerPlan(layer, strokeWidth, x0, y0, x1, y1);
    }

    private readonly struct RowOperation(LayerPlan[] plans, byte[] pixels, int size, float pixelsPerUnit) : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            // Layers share shapes (the head circle, an eye's outline as the clip of its pupil): remember the
            // distances measured at the current pixel.
            var measuredShapes = new FaceShape?[4];
            var measuredDistances = new float[4];
            for (int y = start; y < end; y++)
            {
                float fy = (y + 0.5f) / pixelsPerUnit - FaceGeometry.Extent;
                for (int x = 0; x < size; x++)
                {
                    var point = new Vector2((x + 0.5f) / pixelsPerUnit - FaceGeometry.Extent, fy);
                    Array.Clear(measuredShapes);
                    int measured = 0;
                    Vector4 pixel = Vector4.Zero;
                    foreach (ref readonly var plan in plans.AsSpan())
                    {
                        if (x < plan.X0 || x >= plan.X1 || y < plan.Y0 || y >= plan.Y1)
                        {
                            continue;
                        }

                        var layer = plan.Layer;
                        float distance = Measure(layer.Shape, point, measuredShapes, measuredDistances, ref measured);
                        float clip = layer.Clip is null ? float.MinValue : Measure(layer.Clip, point, measuredShapes, measuredDistances, ref measured);
                        if (layer.Fill is not null)
                        {
                            float coverage = Coverage(MathF.Max(distance, clip));
                            if (coverage > 0)
                            {
                                var (color, alpha) = layer.Fill.At(point);
                                Over(ref pixel, color, alpha * coverage);
                            }
                        }

                        if (plan.StrokeWidth > 0)
                        {
                            float coverage = Coverage(MathF.Max(MathF.Abs(distance) - plan.StrokeWidth / 2, clip));
                            if (coverage > 0)
                            {
                                Over(ref pixel, layer.StrokeColor, layer.StrokeAlpha * coverage);
                            }
                        }
                    }

                    Store(pixel, (y * size + x) * 4);
                }
            }
        }

        private static float Measure(FaceShape shape, Vector2 point, FaceShape?[] shapes, float[] distances, ref int measured)
        {
            for (int i = 0; i < measured; i++)
            {
                if (ReferenceEquals(shapes[i], shape))
                {
                    return distances[i];
                }
            }

            float distance = shape.Distance(point);
            int slot = measured < shapes.Length ? measured++ : shapes.Length - 1;
            shapes[slot] = shape;
            distances[slot] = distance;
            return distance;
        }

        private float Coverage(float distance) => Math.Clamp(0.5f - distance * pixelsPerUnit, 0, 1);

        private static void Over(ref Vector4 pixel, Vector3 color, float alpha)
        {
            if (alpha > 0)
            {
                pixel = new Vector4(color * alpha, alpha) + pixel * (1 - alpha);
            }
        }

        private void Store(Vector4 premultiplied, int offset)
        {
            if (premultiplied.W <= 0)
            {
                return;
            }

            float alpha = MathF.Min(premultiplied.W, 1);
            pixels[offset] = ToByte(premultiplied.X / alpha);
            pixels[offset + 1] = ToByte(premultiplied.Y / alpha);
            pixels[offset + 2] = ToByte(premultiplied.Z / alpha);
            pixels[offset + 3] = ToByte(alpha);
        }

        private static byte ToByte(float value) => (byte)Math.Clamp((int)MathF.Round(value * 255), 0, 255);
    }
}
