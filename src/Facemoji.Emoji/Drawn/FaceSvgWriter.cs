using System.Globalization;
using System.Numerics;
using System.Text;

namespace Facemoji.Emoji.Drawn;

/// <summary>
/// Writes face layers as a standalone SVG document (viewBox in face units), element for element the layers
/// that <see cref="FaceRasterizer"/> draws: gradients become linear/radialGradient, clips clipPath, a
/// round-grown polygon a path filled and stroked in its own colour (twice the round wide, round joins),
/// a polyline a round-capped stroke. Layer opacity is element opacity, as in the raster.
/// </summary>
internal static class FaceSvgWriter
{
    public static string Write(IReadOnlyList<FaceLayer> layers, int size)
    {
        var defs = new StringBuilder();
        var body = new StringBuilder();
        int nextId = 0;
        foreach (var layer in layers)
        {
            string clip = string.Empty;
            if (layer.Clip is not null)
            {
                string clipId = $"c{nextId++}";
                defs.Append($"<clipPath id=\"{clipId}\"><{Geometry(layer.Clip)}/></clipPath>");
                clip = $" clip-path=\"url(#{clipId})\"";
            }

            bool outlined = layer.StrokeWidth > 0 && layer.StrokeAlpha > 0;
            float round = layer.Shape is PolygonShape polygonShape ? polygonShape.Round : 0;
            if (outlined && round > 0)
            {
                // The raster's outline is centred on the grown edge, [R - w/2, R + w/2] from the bare polygon:
                // the bare polygon stroked 2R + w wide under a fill grown by only R - w/2 draws that band.
                body.Append($"<{Geometry(layer.Shape)} fill=\"{Hex(layer.StrokeColor)}\" stroke=\"{Hex(layer.StrokeColor)}\" stroke-width=\"{F(2 * round + layer.StrokeWidth)}\" stroke-linejoin=\"round\"{Opacity(layer.StrokeAlpha)}{clip}/>");
            }

            if (layer.Fill is not null)
            {
                var (paint, alpha) = Paint(layer.Fill, defs, ref nextId);
                string opacity = Opacity(alpha);
                float grow = outlined ? MathF.Max(0, round - layer.StrokeWidth / 2) : round;
                string element = layer.Shape switch
                {
                    PolylineShape line => $"<{Geometry(line)} fill=\"none\" stroke=\"{paint}\" stroke-width=\"{F(2 * line.HalfWidth)}\" stroke-linecap=\"round\" stroke-linejoin=\"round\"{opacity}{clip}/>",
                    PolygonShape when grow > 0 => $"<{Geometry(layer.Shape)} fill=\"{paint}\" stroke=\"{paint}\" stroke-width=\"{F(2 * grow)}\" stroke-linejoin=\"round\"{opacity}{clip}/>",
                    _ => $"<{Geometry(layer.Shape)} fill=\"{paint}\"{opacity}{clip}/>",
                };
                body.Append(element);
            }

            if (outlined && round == 0)
            {
                if (layer.Shape is PolylineShape)
                {
                    throw new NotSupportedException("Outlines of polylines are drawn as two polylines.");
                }

                body.Append($"<{Geometry(layer.Shape)} fill=\"none\" stroke=\"{Hex(layer.StrokeColor)}\" stroke-width=\"{F(layer.StrokeWidth)}\" stroke-linejoin=\"round\"{Opacity(layer.StrokeAlpha)}{clip}/>");
            }
        }

        float e = FaceGeometry.Extent;
        return $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{size}\" height=\"{size}\" viewBox=\"{F(-e)} {F(-e)} {F(2 * e)} {F(2 * e)}\"><defs>{defs}</defs>{body}</svg>\n";
    }

    /// <summary>The element name and geometry attributes, without the closing "/>".</summary>
    private static string Geometry(FaceShape shape) => shape switch
    {
        CircleShape circle => $"circle cx=\"{F(circle.Center.X)}\" cy=\"{F(circle.Center.Y)}\" r=\"{F(circle.Radius)}\"",
        EllipseShape ellipse => $"ellipse cx=\"{F(ellipse.Center.X)}\" cy=\"{F(ellipse.Center.Y)}\" rx=\"{F(ellipse.Radii.X)}\" ry=\"{F(ellipse.Radii.Y)}\"",
        PolygonShape polygon => $"path d=\"{PathData(polygon.Points, close: true)}\"",
        PolylineShape line => $"path d=\"{PathData(line.Points, close: false)}\"",
        _ => throw new NotSupportedException(shape.GetType().Name),
    };

    private static (string Paint, float Alpha) Paint(FacePaint paint, StringBuilder defs, ref int nextId)
    {
        switch (paint)
        {
            case SolidPaint solid:
                return (Hex(solid.Color), solid.Alpha);
            case VerticalGradientPaint gradient:
            {
                string id = $"g{nextId++}";
                defs.Append($"<linearGradient id=\"{id}\" gradientUnits=\"userSpaceOnUse\" x1=\"0\" y1=\"{F(gradient.Y0)}\" x2=\"0\" y2=\"{F(gradient.Y1)}\">")
                    .Append($"<stop offset=\"0\" stop-color=\"{Hex(gradient.Top)}\"/><stop offset=\"1\" stop-color=\"{Hex(gradient.Bottom)}\"/></linearGradient>");
                return ($"url(#{id})", 1);
            }

            case RadialFadePaint radial:
            {
                string id = $"g{nextId++}";
                string color = Hex(radial.Color);
                defs.Append($"<radialGradient id=\"{id}\" gradientUnits=\"userSpaceOnUse\" cx=\"0\" cy=\"0\" r=\"1\" gradientTransform=\"translate({F(radial.Center.X)} {F(radial.Center.Y)}) scale({F(radial.Radii.X)} {F(radial.Radii.Y)})\">")
                    .Append($"<stop offset=\"{F(radial.Start)}\" stop-color=\"{color}\" stop-opacity=\"{F(radial.InnerAlpha)}\"/>")
                    .Append($"<stop offset=\"1\" stop-color=\"{color}\" stop-opacity=\"{F(radial.OuterAlpha)}\"/></radialGradient>");
                return ($"url(#{id})", 1);
            }

            default:
                throw new NotSupportedException(paint.GetType().Name);
        }
    }

    private static string PathData(IReadOnlyList<Vector2> points, bool close)
    {
        var data = new StringBuilder();
        for (int i = 0; i < points.Count; i++)
        {
            data.Append(i == 0 ? 'M' : 'L').Append(F(points[i].X)).Append(' ').Append(F(points[i].Y));
        }

        return (close ? data.Append('Z') : data).ToString();
    }

    private static string Opacity(float alpha) => alpha >= 0.9995f ? string.Empty : $" opacity=\"{F(alpha)}\"";

    private static string Hex(Vector3 color) => $"#{ToByte(color.X):x2}{ToByte(color.Y):x2}{ToByte(color.Z):x2}";

    private static int ToByte(float value) => Math.Clamp((int)MathF.Round(value * 255), 0, 255);

    private static string F(float value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
