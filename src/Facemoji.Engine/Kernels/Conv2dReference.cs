using System.Numerics;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// Direct convolution, the definition the optimised <see cref="Conv2dKernel"/> is tested against. Generic so
/// that the finite-difference checks run it in double precision.
/// </summary>
internal static class Conv2dReference
{
    // x (N,Cin,H,W), w (Cout,Cin,KH,KW), bias (Cout) or empty, y (N,Cout,OH,OW) written.
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> y, ConvGeometry g)
        where T : IFloatingPointIeee754<T>
    {
        int oh = g.OutHeight, ow = g.OutWidth;
        for (int n = 0; n < g.Batch; n++)
        {
            for (int co = 0; co < g.OutChannels; co++)
            {
                for (int i = 0; i < oh; i++)
                {
                    for (int j = 0; j < ow; j++)
                    {
                        T sum = bias.IsEmpty ? T.Zero : bias[co];
                        for (int ci = 0; ci < g.InChannels; ci++)
                        {
                            for (int kh = 0; kh < g.KernelHeight; kh++)
                            {
                                int ih = (i * g.Stride) - g.Padding + kh;
                                if (ih < 0 || ih >= g.Height)
                                {
                                    continue;
                                }

                                for (int kw = 0; kw < g.KernelWidth; kw++)
                                {
                                    int iw = (j * g.Stride) - g.Padding + kw;
                                    if (iw < 0 || iw >= g.Width)
                                    {
                                        continue;
                                    }

                                    sum += x[(((n * g.InChannels) + ci) * g.Height + ih) * g.Width + iw]
                                        * w[(((co * g.InChannels) + ci) * g.KernelHeight + kh) * g.KernelWidth + kw];
                                }
                            }
                        }

                        y[(((n * g.OutChannels) + co) * oh + i) * ow + j] = sum;
                    }
                }
            }
        }
    }

    // x (N,Cin,H,W), w (Cout,Cin,KH,KW), dy (N,Cout,OH,OW); dx (N,Cin,H,W) written (empty: skipped),
    // dw (Cout,Cin,KH,KW) and dbias (Cout, or empty) accumulated.
    public static void Backward<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> dy, Span<T> dx, Span<T> dw, Span<T> dbias, ConvGeometry g)
        where T : IFloatingPointIeee754<T>
    {
        int oh = g.OutHeight, ow = g.OutWidth;
        dx.Clear();
        for (int n = 0; n < g.Batch; n++)
        {
            for (int co = 0; co < g.OutChannels; co++)
            {
                for (int i = 0; i < oh; i++)
                {
                    for (int j = 0; j < ow; j++)
                    {
                        T d = dy[(((n * g.OutChannels) + co) * oh + i) * ow + j];
                        if (!dbias.IsEmpty)
                        {
                            dbias[co] += d;
                        }

                        for (int ci = 0; ci < g.InChannels; ci++)
                        {
                            for (int kh = 0; kh < g.KernelHeight; kh++)
                            {
                                int ih = (i * g.Stride) - g.Padding + kh;
                                if (ih < 0 || ih >= g.Height)
                                {
                                    continue;
                                }

                                for (int kw = 0; kw < g.KernelWidth; kw++)
                                {
                                    int iw = (j * g.Stride) - g.Padding + kw;
                                    if (iw < 0 || iw >= g.Width)
                                    {
                                        continue;
                                    }

                                    int xi = (((n * g.InChannels) + ci) * g.Height + ih) * g.Width + iw;
                                    int wi = (((co * g.InChannels) + ci) * g.KernelHeight + kh) * g.KernelWidth + kw;
                                    dw[wi] += d * x[xi];
                                    if (!dx.IsEmpty)
                                    {
                                        dx[xi] += d * w[wi];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
