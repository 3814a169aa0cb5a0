using System.Numerics;

namespace Facemoji.Engine.Kernels;

/// <summary>Global average pooling by definition: the mean of each (n, c) plane.</summary>
internal static class GlobalAvgPoolReference
{
    // x (N,C,H,W) -> y (N,C) written; planes = N·C, plane = H·W
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int planes, int plane)
        where T : IFloatingPointIeee754<T>
    {
        for (int p = 0; p < planes; p++)
        {
            T sum = T.Zero;
            for (int i = 0; i < plane; i++)
            {
                sum += x[(p * plane) + i];
            }

            y[p] = sum / T.CreateChecked(plane);
        }
    }

    // dy (N,C) -> dx (N,C,H,W) written
    public static void Backward<T>(ReadOnlySpan<T> dy, Span<T> dx, int planes, int plane)
        where T : IFloatingPointIeee754<T>
    {
        for (int p = 0; p < planes; p++)
        {
            T d = dy[p] / T.CreateChecked(plane);
            for (int i = 0; i < plane; i++)
            {
                dx[(p * plane) + i] = d;
            }
        }
    }
}
