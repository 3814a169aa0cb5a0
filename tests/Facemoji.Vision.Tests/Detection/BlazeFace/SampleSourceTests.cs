using Facemoji.Imaging;
using Facemoji.Vision.Detection.BlazeFace;

namespace Facemoji.Vision.Tests.Detection.BlazeFace;

/// <summary>
/// The model's input sampling (bounds-check-free inside the frame, black outside, checked on the edge) against the
/// plain per-sample sampling with every neighbour checked: the same values, for colour and gray frames, squares inside,
/// across and beyond the frame's edges, upright and turned.
/// </summary>
public sealed class SampleSourceTests
{
    [Theory]
    [InlineData(50, 40, 20, 30, 0)]
    [InlineData(50, 40, 70, 30, 0)]
    [InlineData(25, 20, 20, 35, 45)]
    [InlineData(0, 0, 120, 64, -30)]
    [InlineData(200, 10, 30, 128, 10)]
    [InlineData(31.7, 22.2, 9.5, 16, 90)]
    public void MatchesPlainCheckedSampling(double cx, double cy, double side, int n, double degrees)
    {
        var random = new Random(7);
        var rgba = new byte[61 * 47 * 4];
        random.NextBytes(rgba);
        var grayPixels = new byte[61 * 47];
        random.NextBytes(grayPixels);
        var gray = new GrayImage(61, 47, grayPixels);
        var color = new RgbaImage(61, 47, rgba);
        double radians = degrees * Math.PI / 180, cos = Math.Cos(radians), sin = Math.Sin(radians);
        foreach (var frame in new RgbaImage?[] { color, null })
        {
            var actual = new float[n * n * 3];
            new SampleSource(gray, frame).Sample(actual, n, cx, cy, side, cos, sin);
            var expected = Plain(gray, frame, n, cx, cy, side, cos, sin);
            actual.Should().Equal(expected, $"colour {frame is not null}");
        }
    }

    // Every neighbour bounds-checked, black outside the frame.
    private static float[] Plain(GrayImage gray, RgbaImage? color, int n, double cx, double cy, double side, double cos, double sin)
    {
        byte[] pixels = color?.Pixels ?? gray.Pixels;
        int channels = color is null ? 1 : 4, width = gray.Width, height = gray.Height;
        var input = new float[n * n * 3];
        double step = side / n;
        for (int v = 0; v < n; v++)
        {
            double py = ((v + 0.5) * step) - (side / 2);
            for (int u = 0; u < n; u++)
            {
                double px = ((u + 0.5) * step) - (side / 2);
                double x = cx + (cos * px) - (sin * py) - 0.5, y = cy + (sin * px) + (cos * py) - 0.5;
                int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
                float fx = (float)(x - x0), fy = (float)(y - y0);
                for (int c = 0; c < 3; c++)
                {
                    int channel = channels == 1 ? 0 : c;
                    float At(int xx, int yy) =>
                        xx < 0 || yy < 0 || xx >= width || yy >= height ? 0f : pixels[(((yy * width) + xx) * channels) + channel];
                    float top = At(x0, y0) + ((At(x0 + 1, y0) - At(x0, y0)) * fx);
                    float bottom = At(x0, y0 + 1) + ((At(x0 + 1, y0 + 1) - At(x0, y0 + 1)) * fx);
                    input[(((v * n) + u) * 3) + c] = ((top + ((bottom - top) * fy)) / 127.5f) - 1f;
                }
            }
        }

        return input;
    }
}
