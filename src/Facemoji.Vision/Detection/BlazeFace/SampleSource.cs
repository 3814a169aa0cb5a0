using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Facemoji.Imaging;

namespace Facemoji.Vision.Detection.BlazeFace;

/// <summary>
/// Fills the model's input (N,N,3) from a square of the frame, bilinearly, black outside the frame, values scaled
/// from [0, 255] to [-1, 1]: the colour frame when there is one, else the gray frame in all three channels.
/// </summary>
internal readonly struct SampleSource(GrayImage gray, RgbaImage? color)
{
    public int Width => gray.Width;

    public int Height => gray.Height;

    // input (N,N,3): pixel (u, v) shows the frame at centre + R(angle)·((u + 0.5) / N - 0.5, (v + 0.5) / N - 0.5)·side.
    // A pixel whose four neighbours are all inside the frame (most of them) reads them without bounds checks, one whose
    // neighbours are all outside is black; only those on the frame's edge go through the checked path. The arithmetic is
    // the same on every path.
    public void Sample(Span<float> input, int n, double cx, double cy, double side, double cos, double sin)
    {
        byte[] pixels = color?.Pixels ?? gray.Pixels;
        int channels = color is null ? 1 : 4, width = gray.Width, height = gray.Height, rowBytes = width * channels;
        double step = side / n;
        for (int v = 0; v < n; v++)
        {
            double py = ((v + 0.5) * step) - (side / 2);
            var row = input.Slice(v * n * 3, n * 3);
            for (int u = 0; u < n; u++)
            {
                double px = ((u + 0.5) * step) - (side / 2);
                double x = cx + (cos * px) - (sin * py) - 0.5, y = cy + (sin * px) + (cos * py) - 0.5;
                int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
                float fx = (float)(x - x0), fy = (float)(y - y0);
                var target = row.Slice(u * 3, 3);
                if ((uint)x0 < (uint)(width - 1) && (uint)y0 < (uint)(height - 1))
                {
                    int at = (y0 * rowBytes) + (x0 * channels);
                    if (channels == 4)
                    {
                        // The four RGBA neighbours as float vectors: the same operations per channel as Blend.
                        var top = Lerp(Texel(pixels, at), Texel(pixels, at + 4), fx);
                        var bottom = Lerp(Texel(pixels, at + rowBytes), Texel(pixels, at + rowBytes + 4), fx);
                        var value = (Lerp(top, bottom, fy) / 127.5f) - Vector128<float>.One;
                        target[0] = value.GetElement(0);
                        target[1] = value.GetElement(1);
                        target[2] = value.GetElement(2);
                    }
                    else
                    {
                        target.Fill(Blend(pixels, at, channels, rowBytes, fx, fy));
                    }
                }
                else if (x0 < -1 || y0 < -1 || x0 >= width || y0 >= height)
                {
                    target.Fill(-1f);
                }
                else
                {
                    for (int c = 0; c < 3; c++)
                    {
                        int channel = channels == 1 ? 0 : c;
                        float At(int xx, int yy) =>
                            xx < 0 || yy < 0 || xx >= width || yy >= height ? 0f : pixels[(((yy * width) + xx) * channels) + channel];
                        float top = At(x0, y0) + ((At(x0 + 1, y0) - At(x0, y0)) * fx);
                        float bottom = At(x0, y0 + 1) + ((At(x0 + 1, y0 + 1) - At(x0, y0 + 1)) * fx);
                        float value = top + ((bottom - top) * fy);
                        target[c] = (value / 127.5f) - 1f;
                    }
                }
            }
        }
    }

    // The RGBA pixel at byte offset at, as floats.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Texel(byte[] pixels, int at)
    {
        uint rgba = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(pixels), at));
        return Vector128.ConvertToSingle(Vector128.WidenLower(Vector128.WidenLower(Vector128.CreateScalar(rgba).AsByte())));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Lerp(Vector128<float> a, Vector128<float> b, float t) => a + ((b - a) * t);

    // The bilinear value at byte offset at (the top-left neighbour of one channel), scaled to [-1, 1].
    private static float Blend(byte[] pixels, int at, int channels, int rowBytes, float fx, float fy)
    {
        float p00 = pixels[at], p01 = pixels[at + channels], p10 = pixels[at + rowBytes], p11 = pixels[at + rowBytes + channels];
        float top = p00 + ((p01 - p00) * fx);
        float bottom = p10 + ((p11 - p10) * fx);
        float value = top + ((bottom - top) * fy);
        return (value / 127.5f) - 1f;
    }
}
