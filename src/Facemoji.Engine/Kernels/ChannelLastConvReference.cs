namespace Facemoji.Engine.Kernels;

/// <summary>The plain channel-last convolution that <see cref="ChannelLastConvKernel"/> is tested against, in double.</summary>
internal static class ChannelLastConvReference
{
    // x (H,W,InPitch), w (Cout,KH,KW,Cin), bias (Cout) or empty, residual (OH,OW,residualPitch) or empty ->
    // y (OH,OW,OutPitch)[.., ..Cout) = [relu](Σ w·x + bias + residual[.., co] for co < residualPitch); other lanes untouched.
    public static void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, ReadOnlySpan<float> residual, int residualPitch,
        Span<float> y, in ChannelLastConvGeometry g, bool relu)
    {
        g.Validate();
        for (int oy = 0; oy < g.OutHeight; oy++)
        {
            for (int ox = 0; ox < g.OutWidth; ox++)
            {
                int p = (oy * g.OutWidth) + ox;
                for (int co = 0; co < g.OutChannels; co++)
                {
                    double sum = bias.IsEmpty ? 0 : bias[co];
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        int iy = (oy * g.Stride) + ky - g.PadTop;
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int ix = (ox * g.Stride) + kx - g.PadLeft;
                            if (iy < 0 || iy >= g.Height || ix < 0 || ix >= g.Width)
                            {
                                continue;
                            }

                            for (int ci = 0; ci < g.InChannels; ci++)
                            {
                                sum += (double)x[(((iy * g.Width) + ix) * g.InPitch) + ci] *
                                    w[(((((co * g.KernelHeight) + ky) * g.KernelWidth) + kx) * g.InChannels) + ci];
                            }
                        }
                    }

                    if (!residual.IsEmpty && co < residualPitch)
                    {
                        sum += residual[(p * residualPitch) + co];
                    }

                    y[(p * g.OutPitch) + co] = (float)(relu ? Math.Max(0, sum) : sum);
                }
            }
        }
    }
}
