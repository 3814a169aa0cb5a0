using System.Numerics.Tensors;

namespace Facemoji.Engine.Kernels;

/// <summary>Global average pooling with TensorPrimitives (the planes are small and few: no threads).</summary>
internal static class GlobalAvgPoolKernel
{
    // x (N,C,H,W) -> y (N,C) written; planes = N·C, plane = H·W
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int planes, int plane)
    {
        float scale = 1f / plane;
        for (int p = 0; p < planes; p++)
        {
            y[p] = TensorPrimitives.Sum(x.Slice(p * plane, plane)) * scale;
        }
    }

    // dy (N,C) -> dx (N,C,H,W) written
    public static void Backward(ReadOnlySpan<float> dy, Span<float> dx, int planes, int plane)
    {
        float scale = 1f / plane;
        for (int p = 0; p < planes; p++)
        {
            dx.Slice(p * plane, plane).Fill(dy[p] * scale);
        }
    }
}
