namespace Facemoji.Imaging.Processing;

/// <summary>
/// Turned and scaled views of an image, sampled bilinearly: a whole image turned about its centre (the "faces in
/// the wild" check tilts photos with it), and a turned square cut out and scaled (aligned face crops). Angles are
/// degrees, clockwise positive on screen (y grows downwards).
/// </summary>
public static class Rotation
{
    /// <summary>The image turned clockwise by <paramref name="degrees"/> about its centre, same size, corners filled with <paramref name="fill"/>.</summary>
    public static RgbaImage Rotate(RgbaImage image, double degrees, Rgba32 fill)
    {
        var result = new RgbaImage(image.Width, image.Height);
        double radians = degrees * Math.PI / 180, cos = Math.Cos(radians), sin = Math.Sin(radians);
        double cx = image.Width / 2.0, cy = image.Height / 2.0;
        for (int y = 0; y < image.Height; y++)
        {
            var row = result.Row(y);
            for (int x = 0; x < image.Width; x++)
            {
                // The output pixel shows the source point turned back by the angle.
                double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
                double sx = cx + (cos * dx) + (sin * dy) - 0.5, sy = cy - (sin * dx) + (cos * dy) - 0.5;
                for (int c = 0; c < 4; c++)
                {
                    row[(4 * x) + c] = SampleRgba(image, sx, sy, c, fill);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// A <paramref name="size"/>² gray image of the square of side <paramref name="side"/> centred at (cx, cy) and
    /// turned clockwise by <paramref name="degrees"/>, so that what is turned by that angle in the frame comes out
    /// upright. Outside the frame the edge pixels repeat (as OpenCV's BORDER_REPLICATE). When the square is more
    /// than twice the output, it is averaged over 2x2, 3x3... sub-samples per output pixel, so nothing aliases.
    /// </summary>
    public static GrayImage CutSquare(GrayImage frame, int size, double cx, double cy, double side, double degrees)
    {
        var result = new GrayImage(size, size);
        double radians = degrees * Math.PI / 180, cos = Math.Cos(radians), sin = Math.Sin(radians);
        double step = side / size;
        int sub = Math.Max(1, (int)Math.Ceiling(step / 1.5));
        for (int v = 0; v < size; v++)
        {
            var row = result.Row(v);
            for (int u = 0; u < size; u++)
            {
                double sum = 0;
                for (int j = 0; j < sub; j++)
                {
                    double py = ((v + ((j + 0.5) / sub)) * step) - (side / 2);
                    for (int i = 0; i < sub; i++)
                    {
                        double px = ((u + ((i + 0.5) / sub)) * step) - (side / 2);
                        sum += SampleGray(frame, cx + (cos * px) - (sin * py) - 0.5, cy + (sin * px) + (cos * py) - 0.5);
                    }
                }

                row[u] = (byte)Math.Clamp((int)Math.Round(sum / (sub * sub)), 0, 255);
            }
        }

        return result;
    }

    private static double SampleGray(GrayImage image, double x, double y)
    {
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        double fx = x - x0, fy = y - y0;
        int w = image.Width, h = image.Height;
        byte At(int xx, int yy) => image.Pixels[(Math.Clamp(yy, 0, h - 1) * w) + Math.Clamp(xx, 0, w - 1)];
        double top = At(x0, y0) + ((At(x0 + 1, y0) - At(x0, y0)) * fx);
        double bottom = At(x0, y0 + 1) + ((At(x0 + 1, y0 + 1) - At(x0, y0 + 1)) * fx);
        return top + ((bottom - top) * fy);
    }

    private static byte SampleRgba(RgbaImage image, double x, double y, int channel, Rgba32 fill)
    {
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        double fx = x - x0, fy = y - y0;
        byte fillValue = channel switch { 0 => fill.R, 1 => fill.G, 2 => fill.B, _ => fill.A };
        double At(int xx, int yy) =>
            xx < 0 || yy < 0 || xx >= image.Width || yy >= image.Height ? fillValue : image.Pixels[(((yy * image.Width) + xx) * 4) + channel];
        double top = At(x0, y0) + ((At(x0 + 1, y0) - At(x0, y0)) * fx);
        double bottom = At(x0, y0 + 1) + ((At(x0 + 1, y0 + 1) - At(x0, y0 + 1)) * fx);
        return (byte)Math.Clamp((int)Math.Round(top + ((bottom - top) * fy)), 0, 255);
    }
}
