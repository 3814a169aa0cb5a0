using System.Numerics;

namespace Facemoji.Engine.Kernels;

/// <summary>Average pooling by definition; padding counts as zeros in the K·K divisor (PyTorch's count_include_pad=True).</summary>
internal static class AvgPool2dReference
{
    // x (N,C,H,W) -> y (N,C,OH,OW) written
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, PoolGeometry g)
        where T : IFloatingPointIeee754<T>
    {
        int oh = g.OutHeight, ow = g.OutWidth, plane = g.Height * g.Width;
        T divisor = T.CreateChecked(g.Kernel * g.Kernel);
        for (int p = 0; p < g.Planes; p++)
        {
            for (int i = 0; i < oh; i++)
            {
                for (int j = 0; j < ow; j++)
                {
                    T sum = T.Zero;
                    for (int kh = 0; kh < g.Kernel; kh++)
                    {
                        for (int kw = 0; kw < g.Kernel; kw++)
                        {
                            int ih = (i * g.Stride) - g.Padding + kh, iw = (j * g.Stride) - g.Padding + kw;
                            if (ih >= 0 && ih < g.Height && iw >= 0 && iw < g.Width)
                            {
                                sum += x[(p * plane) + (ih * g.Width) + iw];
                            }
                        }
                    }

                    y[(p * oh * ow) + (i * ow) + j] = sum / divisor;
                }
            }
        }
    }

    // dy (N,C,OH,OW) -> dx (N,C,H,W) written
    public static void Backward<T>(ReadOnlySpan<T> dy, Span<T> dx, PoolGeometry g)
        where T : IFloatingPointIeee754<T>
    {
        int oh = g.OutHeight, ow = g.OutWidth, plane = g.Height * g.Width;
        T divisor = T.CreateChecked(g.Kernel * g.Kernel);
        dx.Clear();
        for (int p = 0; p < g.Planes; p++)
        {
            for (int i = 0; i < oh; i++)
            {
                for (int j = 0; j < ow; j++)
                {
                    T d = dy[(p * oh * ow) + (i * ow) + j] / divisor;
                    for (int kh = 0; kh < g.Kernel; kh++)
                    {
                        for (int kw = 0; kw < g.Kernel; kw++)
                        {
                            int ih = (i * g.Stride) - g.Padding + kh, iw = (j * g.Stride) - g.Padding + kw;
                            if (ih >= 0 && ih < g.Height && iw >= 0 && iw < g.Width)
                            {
                                dx[(p * plane) + (ih * g.Width) + iw] += d;
                            }
                        }
                    }
                }
            }
        }
    }
}
