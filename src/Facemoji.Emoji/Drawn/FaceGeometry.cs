using System.Numerics;

namespace Facemoji.Emoji.Drawn;

/// <summary>
/// Turns <see cref="FaceParameters"/> into the layers of the face (face units, head = unit circle, y down).
/// Both outputs, the anti-aliased raster and the SVG, draw these same layers, so they show the same face.
/// </summary>
internal static class FaceGeometry
{
    /// <summary>Half the side of the drawn square: the head plus its outline.</summary>
    public const float Extent = 1.05f;

    public static readonly Vector3 Ink = new(0.30f, 0.18f, 0.07f);
    private static readonly Vector3 White = Vector3.One;
    private static readonly Vector3 TearFill = new(0.55f, 0.80f, 1.00f);
    private static readonly Vector3 TearLine = new(0.20f, 0.47f, 0.85f);
    private static readonly Vector3 Blush = new(1.00f, 0.42f, 0.45f);
    private static readonly Vector3 TongueRed = new(0.93f, 0.36f, 0.42f);
    private static readonly Vector3 VeinRed = new(0.85f, 0.13f, 0.13f);

    private const float EyeY = -0.12f;
    private const float EyeX = 0.34f;
    private const int CurveSamples = 24;

    public static IReadOnlyList<FaceLayer> Build(FaceParameters face)
    {
        var layers = new List<FaceLayer>();
        AddHead(layers, face);
        if (face.Cheeks > 0.004f)
        {
            for (int side = -1; side <= 1; side += 2)
            {
                var center = new Vector2(side * 0.56f, 0.26f);
                var radii = new Vector2(0.21f, 0.13f);
                layers.Add(new FaceLayer(new EllipseShape(center, radii), new RadialFadePaint(Blush, center, radii, 0.6f * Math.Clamp(face.Cheeks, 0, 1), 0, 0.2f)));
            }
        }

        for (int side = -1; side <= 1; side += 2)
        {
            AddTear(layers, face, side);
            AddEye(layers, face, side);
            AddBrow(layers, face, side);
        }

        AddMouth(layers, face);
        if (face.Sweat > 0.004f)
        {
            float r = 0.055f + 0.045f * face.Sweat;
            AddDrop(layers, new Vector2(0.66f, -0.46f), r, Math.Clamp(face.Sweat * 4, 0, 1));
        }

        if (face.Vein > 0.004f)
        {
            AddVein(layers, new Vector2(0.56f, -0.6f), 0.08f + 0.08f * face.Vein, Math.Clamp(face.Vein * 3, 0, 1));
        }

        return layers;
    }

    private static void AddHead(List<FaceLayer> layers, FaceParameters face)
    {
        var head = new CircleShape(Vector2.Zero, 1);
        layers.Add(new FaceLayer(head, new VerticalGradientPaint(face.HeadTop, face.HeadBottom, -0.9f, 0.6f)));

        // Shading toward the rim gives the head volume; the highlight sits upper left, as light from above.
        layers.Add(new FaceLayer(head, new RadialFadePaint(Vector3.Lerp(face.HeadBottom, Ink, 0.55f), new Vector2(0, -0.12f), new Vector2(1.12f), 0, 0.32f, 0.62f)));
        var glowCenter = new Vector2(-0.28f, -0.52f);
        var glowRadii = new Vector2(0.46f, 0.3f);
        layers.Add(new FaceLayer(new EllipseShape(glowCenter, glowRadii), new RadialFadePaint(White, glowCenter, glowRadii, 0.55f, 0, 0)));
        layers.Add(new FaceLayer(head, null, null, Vector3.Lerp(face.HeadBottom, Ink, 0.5f), 0.045f));
    }

    private static void AddEye(List<FaceLayer> layers, FaceParameters face, int side)
    {
        float cx = side * EyeX;
        float open = MathF.Max(face.EyeOpen, 0.04f);
        float arc = Math.Clamp(face.EyeArc, 0, 1);
        float white = Math.Clamp(face.EyeWhite, 0, 1);
        float ovalX = 0.1f + 0.02f * white, ovalY = 0.16f * open;
        float halfWidth = ovalX + (0.15f - ovalX) * arc;

        // The lid: a line that hides the top of the eye, slanted toward the nose (anger) or the temple (sadness).
        float cut = Math.Clamp(face.LidCut, 0, 0.9f);
        float lidBase = EyeY - ovalY + 2 * ovalY * cut;
        float lidSlope = MathF.Tan(face.LidTilt) * MathF.Min(1, cut * 4);

        var top = new Vector2[CurveSamples];
        var bottom = new Vector2[CurveSamples];
        for (int i = 0; i < CurveSamples; i++)
        {
            float u = -MathF.Cos(MathF.PI * i / (CurveSamples - 1));
            float profile = MathF.Sqrt(MathF.Max(0, 1 - u * u));
            float x = cx + halfWidth * u;

            // Oval eye and closed smiling arc (^), morphed point by point.
            float ovalTop = EyeY - ovalY * profile, ovalBottom = EyeY + ovalY * profile;
            float arcMid = EyeY + 0.03f - 0.1f * (1 - u * u);
            float arcHalf = 0.03f * MathF.Pow(1 - u * u, 0.35f);
            float yTop = ovalTop + (arcMid - arcHalf - ovalTop) * arc;
            float yBottom = ovalBottom + (arcMid + arcHalf - ovalBottom) * arc;

            float lid = lidBase + lidSlope * (x - cx) * -side;
            yTop = MathF.Min(MathF.Max(yTop, lid), yBottom);
            top[i] = new Vector2(x, yTop);
            bottom[CurveSamples - 1 - i] = new Vector2(x, yBottom);
        }

        var outline = top.Concat(bottom).ToArray();
        var eye = new PolygonShape(outline, 0.022f);
        var eyeClip = eye; // the same instance: the rasteriser measures a shape once per pixel
        // Solid dark eye -> white eye with a small pupil: the pupil starts as large as the eye and shrinks.
        layers.Add(new FaceLayer(eye, new SolidPaint(Vector3.Lerp(Ink, White, MathF.Min(1, white * 8))), null, Ink, 0.04f * white, white));
        var eyeCenter = new Vector2(cx, EyeY);
        var pupilCenter = Vector2.Lerp(eyeCenter, new Vector2(cx - side * 0.01f, EyeY + 0.02f), white);
        float coverAll = MathF.Max(halfWidth, ovalY) + 0.05f;
        float pupilRadius = coverAll + (0.068f - coverAll) * white;
        layers.Add(new FaceLayer(new CircleShape(pupilCenter, pupilRadius), new SolidPaint(Ink), eyeClip));

        float shine = 1 - arc;
        if (shine > 0.004f)
        {
            var darkEyeShine = new Vector2(cx - 0.035f, EyeY - ovalY * 0.45f);
            var pupilShine = pupilCenter + new Vector2(-0.025f, -0.025f);
            var center = Vector2.Lerp(darkEyeShine, pupilShine, white);
            layers.Add(new FaceLayer(new CircleShape(center, 0.032f - 0.008f * white), new SolidPaint(White, 0.92f * shine), eyeClip));
        }

        if (cut > 0.01f && arc < 0.99f)
        {
            // The lid's edge, a little wider than the eye, as in 😒.
            float reach = ovalX + 0.04f;
            var left = new Vector2(cx - reach, lidBase + lidSlope * -reach * -side);
            var right = new Vector2(cx + reach, lidBase + lidSlope * reach * -side);
            layers.Add(new FaceLayer(new PolylineShape([left, right], 0.026f), new SolidPaint(Ink, MathF.Min(1, cut * 6) * (1 - arc))));
        }
    }

    private static void AddBrow(List<FaceLayer> layers, FaceParameters face, int side)
    {
        if (face.BrowAlpha <= 0.004f)
        {
            return;
        }

        float lift = face.BrowHeight + 0.16f * (MathF.Max(face.EyeOpen, 0) - 1);
        var center = new Vector2(side * 0.37f, EyeY - 0.31f - lift);
        float angle = -side * face.BrowAngle;
        float cos = MathF.Cos(angle), sin = MathF.Sin(angle);
        var points = new Vector2[9];
        for (int i = 0; i < points.Length; i++)
        {
            float u = -1 + 2f * i / (points.Length - 1);
            var local = new Vector2(u * 0.16f, -0.035f * (1 - u * u));
            points[i] = center + new Vector2(local.X * cos - local.Y * sin, local.X * sin + local.Y * cos);
        }

        layers.Add(new FaceLayer(new PolylineShape(points, 0.042f), new SolidPaint(Ink, Math.Clamp(face.BrowAlpha, 0, 1))));
    }

    private static void AddMouth(List<FaceLayer> layers, FaceParameters face)
    {
        float open = Math.Clamp(face.MouthOpen, 0, 1.2f);
        float curve = face.MouthCurve;
        float halfWidth = MathF.Max(face.MouthWidth, 0.02f);
        float y0 = 0.42f + 0.04f * open;
        float height = 0.5f * open;
        float upShare = Math.Clamp(0.5f - 0.4f * curve, 0.12f, 0.88f);

        var top = new Vector2[CurveSamples];
        var bottom = new Vector2[CurveSamples];
        var teeth = new Vector2[CurveSamples];
        var teethBottom = new Vector2[CurveSamples];
        float teethDepth = 0.14f * Math.Clamp(face.Teeth, 0, 1);
        for (int i = 0; i < CurveSamples; i++)
        {
            float u = -MathF.Cos(MathF.PI * i / (CurveSamples - 1));
            float x = halfWidth * u;
            float middle = y0 + curve * 0.24f * ((1 - u * u) - 0.5f) + face.MouthWave * 0.04f * MathF.Sin(3 * MathF.PI * u);
            float profile = MathF.Sqrt(MathF.Max(0, 1 - u * u));
            float yTop = middle - height * upShare * profile;
            float yBottom = middle + height * (1 - upShare) * profile;
            top[i] = new Vector2(x, yTop);
            bottom[CurveSamples - 1 - i] = new Vector2(x, yBottom);
            teeth[i] = new Vector2(x, yTop - 0.05f);
            teethBottom[CurveSamples - 1 - i] = new Vector2(x, MathF.Min(yTop + teethDepth, yBottom));
        }

        var outline = top.Concat(bottom).ToArray();
        layers.Add(new FaceLayer(new PolygonShape(outline, 0.036f), new SolidPaint(Ink)));
        if (height < 0.01f)
        {
            return;
        }

        var inside = new PolygonShape(outline, 0);
        float tongue = Math.Clamp(face.Tongue, 0, 1) * MathF.Min(1, open * 2.5f);
        if (tongue > 0.004f)
        {
            float bottomY = y0 + curve * 0.12f + height * (1 - upShare);
            var center = new Vector2(0, bottomY + 0.02f);
            var radii = new Vector2(halfWidth * 0.62f, 0.07f + 0.1f * tongue);
            layers.Add(new FaceLayer(new EllipseShape(center, radii), new SolidPaint(TongueRed, MathF.Min(1, tongue * 3)), inside));
        }

        if (teethDepth > 0.003f)
        {
            layers.Add(new FaceLayer(new PolygonShape(teeth.Concat(teethBottom).ToArray(), 0), new SolidPaint(White), inside));
        }
    }

    private static void AddTear(List<FaceLayer> layers, FaceParameters face, int side)
    {
        float tears = Math.Clamp(face.Tears, 0, 1);
        if (tears <= 0.004f)
        {
            return;
        }

        float x = side * (EyeX + 0.06f);
        float alpha = MathF.Min(1, tears * 4);
        var drop = new Vector2(x, EyeY + 0.26f + 0.34f * tears);
        if (tears > 0.5f)
        {
            // A stream from the lower lid down to the drop.
            float stream = (tears - 0.5f) * 2;
            var from = new Vector2(x, EyeY + 0.1f);
            layers.Add(new FaceLayer(new PolylineShape([from, drop], 0.065f * stream), new SolidPaint(TearLine, alpha * stream)));
            layers.Add(new FaceLayer(new PolylineShape([from, drop], 0.045f * stream), new SolidPaint(TearFill, alpha * stream)));
        }

        AddDrop(layers, drop, 0.05f + 0.05f * tears, alpha);
    }

    private static void AddDrop(List<FaceLayer> layers, Vector2 center, float radius, float alpha)
    {
        // A disc with a point on top: the tangents from the tip meet the circle at +-acos(r / d) from the top.
        float tipDistance = 2.1f * radius;
        float start = MathF.Acos(radius / tipDistance);
        const int samples = 24;
        var points = new Vector2[samples + 1];
        points[0] = center + new Vector2(0, -tipDistance);
        for (int i = 0; i < samples; i++)
        {
            float phi = start + (2 * MathF.PI - 2 * start) * i / (samples - 1);
            points[i + 1] = center + radius * new Vector2(MathF.Sin(phi), -MathF.Cos(phi));
        }

        layers.Add(new FaceLayer(new PolygonShape(points, 0), new SolidPaint(TearFill, alpha), null, TearLine, 0.03f, alpha));
        var shine = center + new Vector2(-radius * 0.35f, -radius * 0.2f);
        layers.Add(new FaceLayer(new CircleShape(shine, radius * 0.28f), new SolidPaint(White, 0.85f * alpha)));
    }

    private static void AddVein(List<FaceLayer> layers, Vector2 center, float size, float alpha)
    {
        // 💢: four curved corners bowing toward the centre.
        for (int quadrant = 0; quadrant < 4; quadrant++)
        {
            float sx = quadrant % 2 == 0 ? -1 : 1, sy = quadrant < 2 ? -1 : 1;
            var p0 = center + size * new Vector2(sx * 0.3f, sy * 1f);
            var p1 = center + size * new Vector2(sx * 0.22f, sy * 0.22f);
            var p2 = center + size * new Vector2(sx * 1f, sy * 0.3f);
            var points = new Vector2[9];
            for (int i = 0; i < points.Length; i++)
            {
                float t = i / (points.Length - 1f);
                points[i] = (1 - t) * (1 - t) * p0 + 2 * (1 - t) * t * p1 + t * t * p2;
            }

            layers.Add(new FaceLayer(new PolylineShape(points, 0.032f), new SolidPaint(VeinRed, alpha)));
        }
    }
}
