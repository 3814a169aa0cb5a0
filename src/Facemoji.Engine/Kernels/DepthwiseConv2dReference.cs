namespace Facemoji.Engine.Kernels;

/// <summary>The plain depthwise convolution that <see cref="DepthwiseConv2dKernel"/> is tested against.</summary>
internal static class DepthwiseConv2dReference
{
    // x (H,W,C), w (KH,KW,C), bias (C) or empty, y (OH,OW,C) written; relu: y = max(y, 0).
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, in DepthwiseConvGeometry g, bool relu)
    {
        g.Validate();
        int c = g.Channels;
        for (int oy = 0; oy < g.OutHeight; oy++)
        {
            for (int ox = 0; ox < g.OutWidth; ox++)
            {
                for (int ch = 0; ch < c; ch++)
                {
                    double sum = bias.IsEmpty ? 0 : bias[ch];
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        int iy = (oy * g.Stride) + ky - g.PadTop;
                        if (iy < 0 || iy >= g.Height)
                        {
                            continue;
                        }

                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int ix = (ox * g.Stride) + kx - g.PadLeft;
                            if (ix >= 0 && ix < g.Width)
                            {
                                sum += (double)x[(((iy * g.Width) + ix) * c) + ch] * w[(((ky * g.KernelWidth) + kx) * c) + ch];
                            }
                        }
                    }

                    float v = (float)sum;
                    y[(((oy * g.OutWidth) + ox) * c) + ch] = relu && v < 0 ? 0 : v;
                }
            }
        }
    }
}
