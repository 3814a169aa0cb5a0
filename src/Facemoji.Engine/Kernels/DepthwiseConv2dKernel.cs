using System.Numerics.Tensors;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// Depthwise convolution in channels-last layout, vectorised across channels with
/// <see cref="TensorPrimitives.FusedMultiplyAdd{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>
/// (512/256/128-bit or scalar, whatever the CPU has). With stride 1 the pixels of an output row that a kernel tap
/// reads are contiguous in the input row, so each (row, tap) pair is one multiply-add over the whole row against
/// the tap's weights repeated across the row (<see cref="PackWeights"/>); with a larger stride each output pixel
/// is one multiply-add per tap over its channels.
/// </summary>
internal static class DepthwiseConv2dKernel
{
    /// <summary>Floats <see cref="PackWeights"/> writes: each tap's C weights repeated OW times (stride 1), or the weights as they are.</summary>
    public static int PackedWeightLength(in DepthwiseConvGeometry g) =>
        g.Stride == 1 ? g.KernelHeight * g.KernelWidth * g.OutWidth * g.Channels : g.WeightLength;

    // w (KH,KW,C) -> packed (KH,KW,OW,C) for stride 1, (KH,KW,C) otherwise.
    public static void PackWeights(ReadOnlySpan<float> w, Span<float> packed, in DepthwiseConvGeometry g)
    {
        if (g.Stride != 1)
        {
            w[..g.WeightLength].CopyTo(packed);
            return;
        }

        int c = g.Channels, row = g.OutWidth * c;
        for (int tap = 0; tap < g.KernelHeight * g.KernelWidth; tap++)
        {
            var source = w.Slice(tap * c, c);
            var target = packed.Slice(tap * row, row);
            for (int ox = 0; ox < g.OutWidth; ox++)
            {
                source.CopyTo(target.Slice(ox * c, c));
            }
        }
    }

    // x (H,W,C), packed weights from PackWeights, bias (C) or empty, y (OH,OW,C) written; relu: y = max(y, 0).
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> packed, ReadOnlySpan<float> bias, Span<float> y, in DepthwiseConvGeometry g, bool relu)
    {
        g.Validate();
        int c = g.Channels, outRow = g.OutWidth * c;
        for (int oy = 0; oy < g.OutHeight; oy++)
        {
            var yRow = y.Slice(oy * outRow, outRow);
            for (int ox = 0; ox < g.OutWidth; ox++)
            {
                if (bias.IsEmpty)
                {
                    yRow.Slice(ox * c, c).Clear();
                }
                else
                {
                    bias[..c].CopyTo(yRow.Slice(ox * c, c));
                }
            }

            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                int iy = (oy * g.Stride) + ky - g.PadTop;
                if (iy < 0 || iy >= g.Height)
                {
                    continue;
                }

                var xRow = x.Slice(iy * g.Width * c, g.Width * c);
                for (int kx = 0; kx < g.KernelWidth; kx++)
                {
                    int tap = (ky * g.KernelWidth) + kx;
                    if (g.Stride == 1)
                    {
                        // Output pixels ox in [first, last) read input pixels ox + kx - padLeft, all inside the row.
                        int first = Math.Max(0, g.PadLeft - kx), last = Math.Min(g.OutWidth, g.Width + g.PadLeft - kx);
                        if (last <= first)
                        {
                            continue;
                        }

                        int count = (last - first) * c;
                        var input = xRow.Slice((first + kx - g.PadLeft) * c, count);
                        var weights = packed.Slice((tap * outRow) + (first * c), count);
                        var target = yRow.Slice(first * c, count);
                        TensorPrimitives.FusedMultiplyAdd(input, weights, target, target);
                    }
                    else
                    {
                        var weights = packed.Slice(tap * c, c);
                        for (int ox = 0; ox < g.OutWidth; ox++)
                        {
                            int ix = (ox * g.Stride) + kx - g.PadLeft;
                            if (ix >= 0 && ix < g.Width)
                            {
                                var target = yRow.Slice(ox * c, c);
                                TensorPrimitives.FusedMultiplyAdd(xRow.Slice(ix * c, c), weights, target, target);
                            }
                        }
                    }
                }
            }

            if (relu)
            {
                TensorPrimitives.Max(yRow, 0f, yRow);
            }
        }
    }
}
