using System.Numerics;
using System.Runtime.CompilerServices;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// Direct stride-1 convolution for evaluation layers with very few input channels (the network's first layer, one
/// grey channel), lanes along output pixels: the tile is 4 output channels x 3 vectors of consecutive pixels of one
/// output row, so per kernel tap it loads 3 input vectors and broadcasts 4 weights for 12 FMAs, and the outputs are
/// stored straight into their NCHW rows. <see cref="DirectConvKernel"/> runs its lanes along output channels, which
/// with one input channel leaves 9 taps of FMAs per tile against a scalar scatter of every output into its plane
/// (about as long again). Weights: (Cout, Cin, KH, KW) with the folded BatchNorm scale multiplied in
/// (<see cref="ScaleWeights"/>, once per Eval). Each output is bias + Σ_ci Σ_taps w·x, the sum in the reference's
/// order. Reference: <see cref="Conv2dReference"/> plus scale, bias and ReLU.
/// </summary>
internal static unsafe class FewChannelConvKernel
{
    /// <summary>Output channels per tile.</summary>
    private const int Channels = 4;

    /// <summary>Pixel vectors per tile.</summary>
    private const int Vectors = 3;

    /// <summary>
    /// Layers it takes: stride 1, up to 2 input channels, rows of at least one tile of pixels, hardware vectors.
    /// Measured on bench-vgg8's first layer (one process, minimum over runs, indicative): about half the time of
    /// <see cref="DirectConvKernel"/> on the AVX2 path and two thirds with AVX-512.
    /// </summary>
    public static bool Pays(in ConvGeometry g) =>
        Supports(g) && g.InChannels <= 2 && g.OutWidth >= Vectors * Vector<float>.Count && Vector.IsHardwareAccelerated;

    /// <summary>What it computes correctly: stride 1, output rows of at least one vector.</summary>
    public static bool Supports(in ConvGeometry g) => g.Stride == 1 && g.OutWidth >= Vector<float>.Count;

    private static int Pitch(in ConvGeometry g) => g.Width + (2 * g.Padding);

    private static int PaddedPlane(in ConvGeometry g) => (g.Height + (2 * g.Padding)) * Pitch(g);

    /// <summary>Scratch: one padded image (Cin, H + 2p, W + 2p).</summary>
    public static int ScratchLength(in ConvGeometry g) => g.InChannels * PaddedPlane(g);

    // w (Cout,Cin,KH,KW), scale (Cout) or empty → scaled (Cout,Cin,KH,KW) = scale[co]·w
    public static void ScaleWeights(ReadOnlySpan<float> w, ReadOnlySpan<float> scale, Span<float> scaled, in ConvGeometry g)
    {
        int perChannel = g.InChannels * g.KernelHeight * g.KernelWidth;
        if (w.Length < g.WeightLength || scaled.Length < g.WeightLength || (!scale.IsEmpty && scale.Length < g.OutChannels))
        {
            throw new ArgumentException($"FewChannelConvKernel weights: short buffers for {g}.");
        }

        for (int co = 0; co < g.OutChannels; co++)
        {
            float s = scale.IsEmpty ? 1f : scale[co];
            for (int i = 0; i < perChannel; i++)
            {
                scaled[(co * perChannel) + i] = w[(co * perChannel) + i] * s;
            }
        }
    }

    // x (N,Cin,H,W), w from ScaleWeights, bias (Cout) or empty → y (N,Cout,OH,OW) = [relu](w ∗ x + bias)
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, in ConvGeometry g, Span<float> scratch, bool relu)
    {
        if (!Supports(g) || x.Length < g.InputLength || y.Length < g.OutputLength || w.Length < g.WeightLength || scratch.Length < ScratchLength(g)
            || (!bias.IsEmpty && bias.Length < g.OutChannels))
        {
            throw new ArgumentException($"FewChannelConvKernel: unsupported geometry {g} or short buffers.");
        }

        int inImage = g.InChannels * g.Height * g.Width, outImage = g.OutChannels * g.OutHeight * g.OutWidth;
        var padded = scratch[..ScratchLength(g)];
        for (int n = 0; n < g.Batch; n++)
        {
            Pad(x.Slice(n * inImage, inImage), padded, g);
            fixed (float* xp = padded)
            fixed (float* wp = w)
            fixed (float* bp = bias)
            fixed (float* yp = y.Slice(n * outImage, outImage))
            {
                int co = 0;
                for (; co + Channels <= g.OutChannels; co += Channels)
                {
                    Rows(xp, wp, bp, yp, g, co, relu);
                }

                for (; co < g.OutChannels; co++)
                {
                    Single(xp, wp, bp, yp, g, co, relu);
                }
            }
        }
    }

    // x (Cin,H,W) → padded (Cin, H + 2p, W + 2p) with zero borders
    private static void Pad(ReadOnlySpan<float> x, Span<float> padded, in ConvGeometry g)
    {
        int pitch = Pitch(g), plane = PaddedPlane(g), h = g.Height, wd = g.Width, p = g.Padding;
        padded.Clear();
        for (int c = 0; c < g.InChannels; c++)
        {
            for (int row = 0; row < h; row++)
            {
                x.Slice(((c * h) + row) * wd, wd).CopyTo(padded.Slice((c * plane) + ((row + p) * pitch) + p, wd));
            }
        }
    }

    // y[co .. co + 4)[oh][..] for every output row: tiles of 3 vectors, then single vectors, then the last pixels
    // as one vector ending at the row's end (it overlaps the previous one, which it rewrites with the same values).
    private static void Rows(float* x, float* w, float* bias, float* y, in ConvGeometry g, int co, bool relu)
    {
        int lanes = Vector<float>.Count, ow = g.OutWidth, plane = g.OutHeight * ow;
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            int j = 0;
            for (; j + (Vectors * lanes) <= ow; j += Vectors * lanes)
            {
                Tile(x, w, bias, y, g, co, oh, j, relu);
            }

            for (; j < ow; j += lanes)
            {
                int start = Math.Min(j, ow - lanes);
                for (int c = co; c < co + Channels; c++)
                {
                    *(Vector<float>*)(y + ((long)c * plane) + (oh * ow) + start) = Vector1(x, w, bias, g, c, oh, start, relu);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(float* x, float* w, float* bias, float* y, in ConvGeometry g, int co, int oh, int ow0, bool relu)
    {
        int lanes = Vector<float>.Count, taps = g.KernelHeight * g.KernelWidth, pitch = Pitch(g), plane = PaddedPlane(g);
        Vector<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector<float> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        int perChannel = g.InChannels * taps;
        float* w0 = w + ((long)co * perChannel);
        for (int ci = 0; ci < g.InChannels; ci++)
        {
            float* xc = x + ((long)ci * plane) + (oh * pitch) + ow0;
            for (int kh = 0; kh < g.KernelHeight; kh++)
            {
                for (int kw = 0; kw < g.KernelWidth; kw++)
                {
                    float* xk = xc + (kh * pitch) + kw;
                    var x0 = *(Vector<float>*)xk;
                    var x1 = *(Vector<float>*)(xk + lanes);
                    var x2 = *(Vector<float>*)(xk + (2 * lanes));
                    int t = (ci * taps) + (kh * g.KernelWidth) + kw;
                    var b0 = new Vector<float>(w0[t]);
                    c00 = Vector.MultiplyAddEstimate(b0, x0, c00);
                    c01 = Vector.MultiplyAddEstimate(b0, x1, c01);
                    c02 = Vector.MultiplyAddEstimate(b0, x2, c02);
                    var b1 = new Vector<float>(w0[perChannel + t]);
                    c10 = Vector.MultiplyAddEstimate(b1, x0, c10);
                    c11 = Vector.MultiplyAddEstimate(b1, x1, c11);
                    c12 = Vector.MultiplyAddEstimate(b1, x2, c12);
                    var b2 = new Vector<float>(w0[(2 * perChannel) + t]);
                    c20 = Vector.MultiplyAddEstimate(b2, x0, c20);
                    c21 = Vector.MultiplyAddEstimate(b2, x1, c21);
                    c22 = Vector.MultiplyAddEstimate(b2, x2, c22);
                    var b3 = new Vector<float>(w0[(3 * perChannel) + t]);
                    c30 = Vector.MultiplyAddEstimate(b3, x0, c30);
                    c31 = Vector.MultiplyAddEstimate(b3, x1, c31);
                    c32 = Vector.MultiplyAddEstimate(b3, x2, c32);
                }
            }
        }

        int outPlane = g.OutHeight * g.OutWidth;
        float* o = y + ((long)co * outPlane) + (oh * g.OutWidth) + ow0;
        StoreThree(o, lanes, c00, c01, c02, Bias(bias, co), relu);
        StoreThree(o + outPlane, lanes, c10, c11, c12, Bias(bias, co + 1), relu);
        StoreThree(o + (2 * outPlane), lanes, c20, c21, c22, Bias(bias, co + 2), relu);
        StoreThree(o + (3 * outPlane), lanes, c30, c31, c32, Bias(bias, co + 3), relu);
    }

    private static float Bias(float* bias, int co) => bias == null ? 0f : bias[co];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreThree(float* o, int lanes, Vector<float> a, Vector<float> b, Vector<float> c, float bias, bool relu)
    {
        var bv = new Vector<float>(bias);
        a += bv;
        b += bv;
        c += bv;
        if (relu)
        {
            a = Vector.Max(a, Vector<float>.Zero);
            b = Vector.Max(b, Vector<float>.Zero);
            c = Vector.Max(c, Vector<float>.Zero);
        }

        *(Vector<float>*)o = a;
        *(Vector<float>*)(o + lanes) = b;
        *(Vector<float>*)(o + (2 * lanes)) = c;
    }

    // One vector of pixels of channel co at (oh, ow0 ..).
    private static Vector<float> Vector1(float* x, float* w, float* bias, in ConvGeometry g, int co, int oh, int ow0, bool relu)
    {
        int taps = g.KernelHeight * g.KernelWidth, pitch = Pitch(g), plane = PaddedPlane(g);
        float* wc = w + ((long)co * g.InChannels * taps);
        Vector<float> sum = default;
        for (int ci = 0; ci < g.InChannels; ci++)
        {
            for (int kh = 0; kh < g.KernelHeight; kh++)
            {
                for (int kw = 0; kw < g.KernelWidth; kw++)
                {
                    var xv = *(Vector<float>*)(x + ((long)ci * plane) + ((oh + kh) * pitch) + ow0 + kw);
                    sum = Vector.MultiplyAddEstimate(new Vector<float>(wc[(ci * taps) + (kh * g.KernelWidth) + kw]), xv, sum);
                }
            }
        }

        sum += new Vector<float>(Bias(bias, co));
        return relu ? Vector.Max(sum, Vector<float>.Zero) : sum;
    }

    // The channels past the last group of 4, a vector at a time.
    private static void Single(float* x, float* w, float* bias, float* y, in ConvGeometry g, int co, bool relu)
    {
        int lanes = Vector<float>.Count, ow = g.OutWidth, plane = g.OutHeight * ow;
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            for (int j = 0; j < ow; j += lanes)
            {
                int start = Math.Min(j, ow - lanes);
                *(Vector<float>*)(y + ((long)co * plane) + (oh * ow) + start) = Vector1(x, w, bias, g, co, oh, start, relu);
            }
        }
    }
}
