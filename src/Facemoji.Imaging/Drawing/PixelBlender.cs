namespace Facemoji.Imaging.Drawing;

/// <summary>
/// Porter-Duff "source over destination" on straight-alpha RGBA, in double precision, rounded half up:
/// outA = sa + da(1 - sa); outC = (Cs·sa + Cd·da(1 - sa)) / outA. One formula for every drawing operation, so that
/// tools/make_imaging_fixtures.py can reproduce the reference renders with numpy.
/// </summary>
internal static class PixelBlender
{
    /// <summary>Blends a straight-alpha colour (components 0..255) over pixel (4 bytes).</summary>
    public static void Over(Span<byte> pixel, double r, double g, double b, double a)
    {
        if (a <= 0)
        {
            return;
        }

        double sa = a / 255.0;
        OverPremultiplied(pixel, r * sa, g * sa, b * sa, sa);
    }

    /// <summary>Blends premultiplied colour (r, g, b already times sa; 0..255) with coverage sa (0..1) over pixel.</summary>
    public static void OverPremultiplied(Span<byte> pixel, double r, double g, double b, double sa)
    {
        if (sa <= 0)
        {
            return;
        }

        double da = pixel[3] / 255.0 * (1 - sa);
        double outA = sa + da;
        pixel[0] = Round((r + pixel[0] * da) / outA);
        pixel[1] = Round((g + pixel[1] * da) / outA);
        pixel[2] = Round((b + pixel[2] * da) / outA);
        pixel[3] = Round(outA * 255.0);
    }

    private static byte Round(double value) => (byte)Math.Clamp(Math.Floor(value + 0.5), 0, 255);
}
