using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// Depthwise convolution of one channel-last image whose pixels may be stored with a channel pitch above the channel
/// count (lanes past the channels zero), for the TFLite interpreter. Vectorised across channels
/// (<see cref="IFloatLanes{TVector}"/>: 512/256/128-bit, or scalar where a pitch is not whole vectors): per output row
/// and channel vector the tap weights and the bias stay in registers while the row's pixels are computed, and a 3x3
/// window wholly inside the image (all but the border pixels) is nine loads and nine multiply-adds with no bounds
/// checks. Bias and ReLU are applied before the one store. Weights are packed once (<see cref="PackWeights"/>).
/// Plain reference: <see cref="DepthwiseConv2dReference"/>.
/// </summary>
internal static unsafe class ChannelLastDepthwiseKernel
{
    /// <summary>Floats per vector for these pitches: the widest vector when both are whole vectors of it, else 1.</summary>
    public static int Lanes(int inPitch, int outPitch)
    {
        int lanes = DirectConvKernel.Lanes;
        return inPitch % lanes == 0 && outPitch % lanes == 0 ? lanes : 1;
    }

    /// <summary>Floats of the packed weights and bias for <see cref="Lanes"/> = <paramref name="lanes"/>.</summary>
    public static int PackedLength(in DepthwiseConvGeometry g, int lanes) => ((g.KernelHeight * g.KernelWidth) + 1) * RoundUp(g.Channels, lanes);

    // w (KH,KW,C), bias (C) or empty -> packed (KH·KW + 1, C') with C' = C rounded up to lanes: the taps' weights, then
    // the bias, zero past C.
    public static void PackWeights(ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> packed, in DepthwiseConvGeometry g, int lanes)
    {
        g.Validate();
        int c = g.Channels, cp = RoundUp(c, lanes), taps = g.KernelHeight * g.KernelWidth;
        packed[..PackedLength(g, lanes)].Clear();
        for (int tap = 0; tap < taps; tap++)
        {
            w.Slice(tap * c, c).CopyTo(packed.Slice(tap * cp, c));
        }

        bias[..Math.Min(bias.Length, c)].CopyTo(packed.Slice(taps * cp));
    }

    // x (H,W,inPitch), packed from PackWeights with lanes = Lanes(inPitch, outPitch) -> y (OH,OW,outPitch) for the
    // channels below C rounded up to the lanes (zero past C); relu: y = max(y, 0).
    public static void Forward(ReadOnlySpan<float> x, int inPitch, ReadOnlySpan<float> packed, Span<float> y, int outPitch, in DepthwiseConvGeometry g, bool relu)
    {
        g.Validate();
        int lanes = Lanes(inPitch, outPitch);
        if (inPitch < RoundUp(g.Channels, lanes) || outPitch < RoundUp(g.Channels, lanes) || x.Length < g.Height * g.Width * inPitch ||
            y.Length < g.OutHeight * g.OutWidth * outPitch || packed.Length < PackedLength(g, lanes))
        {
            throw new ArgumentException("A buffer or pitch is smaller than the depthwise convolution's geometry needs.");
        }

        fixed (float* xp = x, wp = packed, yp = y)
        {
            switch (lanes)
            {
                case 16: Run<Float512Lanes, Vector512<float>>(xp, inPitch, wp, yp, outPitch, g, relu); break;
                case 8: Run<Float256Lanes, Vector256<float>>(xp, inPitch, wp, yp, outPitch, g, relu); break;
                case 4: Run<Float128Lanes, Vector128<float>>(xp, inPitch, wp, yp, outPitch, g, relu); break;
                default: Run<ScalarLanes, float>(xp, inPitch, wp, yp, outPitch, g, relu); break;
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TLanes, TVector>(float* x, int inPitch, float* w, float* y, int outPitch, in DepthwiseConvGeometry g, bool relu)
        where TLanes : struct, IFloatLanes<TVector>
        where TVector : struct
    {
        int lanes = TLanes.Count, cp = RoundUp(g.Channels, lanes), taps = g.KernelHeight * g.KernelWidth;
        int rowFloats = g.Width * inPitch, s = g.Stride;
        bool threeByThree = g.KernelHeight == 3 && g.KernelWidth == 3;

        // Output columns [first, last) read a 3-wide window wholly inside the row.
        int first = Math.Min(g.OutWidth, (g.PadLeft + s - 1) / s), reach = g.Width - 3 + g.PadLeft;
        int last = reach < 0 ? first : Math.Max(first, Math.Min(g.OutWidth, (reach / s) + 1));
        for (int oy = 0; oy < g.OutHeight; oy++)
        {
            int iy0 = (oy * s) - g.PadTop;
            float* yRow = y + ((long)oy * g.OutWidth * outPitch);
            bool rowsInside = iy0 >= 0 && iy0 + g.KernelHeight <= g.Height;
            for (int cv = 0; cv < cp; cv += lanes)
            {
                float* wv = w + cv;
                var bias = TLanes.Load(wv + (taps * cp));
                if (threeByThree && rowsInside)
                {
                    TVector w0 = TLanes.Load(wv), w1 = TLanes.Load(wv + cp), w2 = TLanes.Load(wv + (2 * cp));
                    TVector w3 = TLanes.Load(wv + (3 * cp)), w4 = TLanes.Load(wv + (4 * cp)), w5 = TLanes.Load(wv + (5 * cp));
                    TVector w6 = TLanes.Load(wv + (6 * cp)), w7 = TLanes.Load(wv + (7 * cp)), w8 = TLanes.Load(wv + (8 * cp));
                    float* r0 = x + ((long)iy0 * rowFloats) + cv;
                    for (int ox = 0; ox < first; ox++)
                    {
                        Pixel<TLanes, TVector>(x, inPitch, wv, cp, yRow + ((long)ox * outPitch) + cv, g, oy, ox, cv, bias, relu);
                    }

                    for (int ox = first; ox < last; ox++)
                    {
                        float* a = r0 + ((long)((ox * s) - g.PadLeft) * inPitch);
                        float* b = a + rowFloats;
                        float* c = b + rowFloats;
                        var acc = TLanes.MultiplyAdd(TLanes.Load(a), w0, bias);
                        acc = TLanes.MultiplyAdd(TLanes.Load(a + inPitch), w1, acc);
                        acc = TLanes.MultiplyAdd(TLanes.Load(a + (2 * inPitch)), w2, acc);
                        acc = TLanes.MultiplyAdd(TLanes.Load(b), w3, acc);
                        acc = TLanes.MultiplyAdd(TLanes.Load(b + inPitch), w4, acc);
                        acc = TLanes.MultiplyAdd(TLanes.Load(b + (2 * inPitch)), w5, acc);
                        acc = TLanes.MultiplyAdd(TLanes.Load(c), w6, acc);
                        acc = TLanes.MultiplyAdd(TLanes.Load(c + inPitch), w7, acc);
                        acc = TLanes.MultiplyAdd(TLanes.Load(c + (2 * inPitch)), w8, acc);
                        TLanes.Store(relu ? TLanes.Relu(acc) : acc, yRow + ((long)ox * outPitch) + cv);
                    }

                    for (int ox = last; ox < g.OutWidth; ox++)
                    {
                        Pixel<TLanes, TVector>(x, inPitch, wv, cp, yRow + ((long)ox * outPitch) + cv, g, oy, ox, cv, bias, relu);
                    }
                }
                else
                {
                    for (int ox = 0; ox < g.OutWidth; ox++)
                    {
                        Pixel<TLanes, TVector>(x, inPitch, wv, cp, yRow + ((long)ox * outPitch) + cv, g, oy, ox, cv, bias, relu);
                    }
                }
            }
        }
    }

    // One output pixel's channel vector, any window, taps outside the image skipped.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pixel<TLanes, TVector>(
        float* x, int inPitch, float* wv, int cp, float* target, in DepthwiseConvGeometry g, int oy, int ox, int cv, TVector bias, bool relu)
        where TLanes : struct, IFloatLanes<TVector>
        where TVector : struct
    {
        var acc = bias;
        for (int ky = 0; ky < g.KernelHeight; ky++)
        {
            int iy = (oy * g.Stride) + ky - g.PadTop;
            if ((uint)iy >= (uint)g.Height)
            {
                continue;
            }

            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                int ix = (ox * g.Stride) + kx - g.PadLeft;
                if ((uint)ix < (uint)g.Width)
                {
                    var input = TLanes.Load(x + ((((long)iy * g.Width) + ix) * inPitch) + cv);
                    acc = TLanes.MultiplyAdd(input, TLanes.Load(wv + (((ky * g.KernelWidth) + kx) * cp)), acc);
                }
            }
        }

        TLanes.Store(relu ? TLanes.Relu(acc) : acc, target);
    }
}
