using System.Numerics;

namespace Facemoji.Engine.Kernels;

/// <summary>Max pooling by definition (padding counts as −∞; ties go to the first window element, as PyTorch).</summary>
internal static class MaxPool2dReference
{
    // x (N,C,H,W) -> y (N,C,OH,OW) written, argmax (N,C,OH,OW) = flat index within the input plane.
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, Span<int> argmax, PoolGeometry g)
        where T : IFloatingPointIeee754<T>
    {
        int oh = g.OutHeight, ow = g.OutWidth, plane = g.Height * g.Width;
        for (int p = 0; p < g.Planes; p++)
        {
            for (int i = 0; i < oh; i++)
            {
                for (int j = 0; j < ow; j++)
                {
                    T best = T.NegativeInfinity;
                    int bestIndex = -1;
                    for (int kh = 0; kh < g.Kernel; kh++)
                    {
                        for (int kw = 0; kw < g.Kernel; kw++)
                        {
                            int ih = (i * g.Stride) - g.Padding + kh, iw = (j * g.Stride) - g.Padding + kw;
                            if (ih < 0 || ih >= g.Height || iw < 0 || iw >= g.Width)
                            {
                                continue;
                            }

                            T v = x[(p * plane) + (ih * g.Width) + iw];
                            if (v > best || bestIndex < 0)
                            {
                                best = v;
                                bestIndex = (ih * g.Width) + iw;
                            }
                        }
                    }

                    int o = (p * oh * ow) + (i * ow) + j;
                    y[o] = best;
                    argmax[o] = bestIndex;
                }
            }
        }
    }

    // dy (N,C,OH,OW), argmax from Forward -> dx (N,C,H,W) written
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<int> argmax, Span<T> dx, PoolGeometry g)
        where T : IFloatingPointIeee754<T>
    {
        int outPlane = g.OutHeight * g.OutWidth, plane = g.Height * g.Width;
        dx.Clear();
        for (int p = 0; p < g.Planes; p++)
        {
            for (int o = 0; o < outPlane; o++)
            {
                dx[(p * plane) + argmax[(p * outPlane) + o]] += dy[(p * outPlane) + o];
            }
        }
    }
}
