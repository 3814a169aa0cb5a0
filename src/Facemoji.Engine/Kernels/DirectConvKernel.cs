using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// Direct (implicit-GEMM) convolution for inference at small batch: stride 1, any kernel size and zero padding,
/// weights pre-packed once (<see cref="PackWeights"/>, with a per-channel output scale such as a folded BatchNorm
/// multiplied in), bias and optional ReLU applied in registers. No im2col: the image is copied into a zero-padded
/// buffer of row pitch Wp = W + 2·pad, and output pixel p = oh·Wp + ow is computed on that pitch, so that input
/// element p + kh·Wp + kw feeds it and a run of consecutive output pixels reads a run of consecutive inputs (one
/// vector load per kernel tap). The two pitch columns past OW are computed and thrown away; that waste (2/Wp)
/// is what buys contiguous loads on 6x6..48x48 maps. Register tile: <see cref="ChannelBlock"/> output channels by
/// <see cref="TileVectors"/> vectors of pixels. Plain reference: <see cref="Conv2dReference"/> followed by the
/// scale, bias and ReLU.
/// </summary>
internal static unsafe partial class DirectConvKernel
{
    /// <summary>Output channels per register tile; the packed weights are grouped by this many channels.</summary>
    public const int ChannelBlock = 4;

    /// <summary>Vectors of output pixels per register tile.</summary>
    public const int TileVectors = 3;

    private const int MaxLanes = 16;

    /// <summary>True where this kernel can compute the convolution (stride 1; square padding as Conv2d).</summary>
    public static bool Supports(in ConvGeometry g) => g.Stride == 1;

    public static int PackedWeightLength(in ConvGeometry g) =>
        RoundUp(g.OutChannels, ChannelBlock) * g.InChannels * g.KernelHeight * g.KernelWidth;

    /// <summary>Floats of scratch one image needs: the padded input and the output on the padded pitch.</summary>
    public static int ScratchLength(in ConvGeometry g) => PaddedInputLength(g) + WideOutputLength(g);

    // weight (Cout,Cin,KH,KW), scale (Cout) or empty for 1 -> packed (ceil(Cout/4), Cin, KH·KW, 4), zero past Cout
    public static void PackWeights(ReadOnlySpan<float> weight, ReadOnlySpan<float> scale, Span<float> packed, in ConvGeometry g)
    {
        int taps = g.KernelHeight * g.KernelWidth;
        int cin = g.InChannels;
        packed[..PackedWeightLength(g)].Clear();
        for (int co = 0; co < g.OutChannels; co++)
        {
            float s = scale.IsEmpty ? 1f : scale[co];
            int block = co / ChannelBlock, lane = co % ChannelBlock;
            for (int ci = 0; ci < cin; ci++)
            {
                for (int t = 0; t < taps; t++)
                {
                    packed[(((block * cin) + ci) * taps + t) * ChannelBlock + lane] = weight[((co * cin) + ci) * taps + t] * s;
                }
            }
        }
    }

    // x (N,Cin,H,W), packed from PackWeights, bias (Cout) or empty -> y (N,Cout,OH,OW) = [relu](packed ∗ x + bias)
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> packed, ReadOnlySpan<float> bias, Span<float> y, in ConvGeometry g, Span<float> scratch, bool relu)
    {
        if (!Supports(g))
        {
            throw new ArgumentException($"DirectConvKernel needs stride 1, got {g}.");
        }

        int inImage = g.InChannels * g.Height * g.Width;
        int outImage = g.OutChannels * g.OutHeight * g.OutWidth;
        if (x.Length < g.InputLength || y.Length < g.OutputLength || packed.Length < PackedWeightLength(g) || scratch.Length < ScratchLength(g)
            || (!bias.IsEmpty && bias.Length < g.OutChannels))
        {
            throw new ArgumentException($"DirectConvKernel: a buffer is too short for {g}.");
        }

        var padded = scratch[..PaddedInputLength(g)];
        var wide = scratch.Slice(PaddedInputLength(g), WideOutputLength(g));
        int lanes = Lanes;
        for (int n = 0; n < g.Batch; n++)
        {
            PadImage(x.Slice(n * inImage, inImage), padded, g);
            fixed (float* xp = padded)
            fixed (float* wp = packed)
            fixed (float* bp = bias)
            fixed (float* op = wide)
            {
                var args = new TileArguments(g, xp, wp, bp, bias.IsEmpty, op, relu);
                if (lanes == 16)
                {
                    RunTiles(new Vector512Tile(), args);
                }
                else if (lanes == 8)
                {
                    RunTiles(new Vector256Tile(), args);
                }
                else if (lanes == 4)
                {
                    RunTiles(new Vector128Tile(), args);
                }
                else
                {
                    RunTiles(new ScalarTile(), args);
                }
            }

            CompactOutput(wide, y.Slice(n * outImage, outImage), g);
        }
    }

    /// <summary>Pixels per vector on the path this process runs (16, 8, 4, or 1 without hardware intrinsics).</summary>
    public static int Lanes =>
        Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : Vector128.IsHardwareAccelerated ? 4 : 1;

    private static int Pitch(in ConvGeometry g) => g.Width + (2 * g.Padding);

    private static int PaddedPlane(in ConvGeometry g) => (g.Height + (2 * g.Padding)) * Pitch(g);

    /// <summary>Output pixels on the padded pitch, rounded up to whole tiles of the widest path.</summary>
    private static int WidePixels(in ConvGeometry g) => RoundUp(g.OutHeight * Pitch(g), TileVectors * MaxLanes);

    private static int WideOutputLength(in ConvGeometry g) => RoundUp(g.OutChannels, ChannelBlock) * WidePixels(g);

    // The last channel's tile reads up to WidePixels + (KH-1)·Wp + KW - 1 floats past its plane start.
    private static int PaddedInputLength(in ConvGeometry g) =>
        Math.Max(g.InChannels * PaddedPlane(g), ((g.InChannels - 1) * PaddedPlane(g)) + WidePixels(g) + ((g.KernelHeight - 1) * Pitch(g)) + g.KernelWidth);

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    // x (Cin,H,W) -> padded (Cin, H+2p, W+2p) with zero borders, zero slack after
    private static void PadImage(ReadOnlySpan<float> x, Span<float> padded, in ConvGeometry g)
    {
        padded.Clear();
        int pitch = Pitch(g), plane = PaddedPlane(g), h = g.Height, w = g.Width, p = g.Padding;
        for (int c = 0; c < g.InChannels; c++)
        {
            for (int row = 0; row < h; row++)
            {
                x.Slice(((c * h) + row) * w, w).CopyTo(padded.Slice((c * plane) + ((row + p) * pitch) + p, w));
            }
        }
    }

    // wide (Cout rounded, OH·Wp rounded) on the padded pitch -> y (Cout,OH,OW)
    private static void CompactOutput(ReadOnlySpan<float> wide, Span<float> y, in ConvGeometry g)
    {
        int pitch = Pitch(g), widePixels = WidePixels(g), oh = g.OutHeight, ow = g.OutWidth;
        for (int co = 0; co < g.OutChannels; co++)
        {
            for (int row = 0; row < oh; row++)
            {
                wide.Slice((co * widePixels) + (row * pitch), ow).CopyTo(y.Slice(((co * oh) + row) * ow, ow));
            }
        }
    }

    private readonly struct TileArguments(in ConvGeometry g, float* x, float* w, float* bias, bool noBias, float* wide, bool relu)
    {
        public readonly int InChannels = g.InChannels;
        public readonly int KernelHeight = g.KernelHeight;
        public readonly int KernelWidth = g.KernelWidth;
        public readonly int Pitch = DirectConvKernel.Pitch(g);
        public readonly int Plane = PaddedPlane(g);
        public readonly int WidePixels = DirectConvKernel.WidePixels(g);
        public readonly int OutChannels = g.OutChannels;
        public readonly int Blocks = RoundUp(g.OutChannels, ChannelBlock) / ChannelBlock;
        public readonly float* X = x;
        public readonly float* W = w;
        public readonly float* Bias = bias;
        public readonly bool NoBias = noBias;
        public readonly float* Wide = wide;
        public readonly bool Relu = relu;

        public float BiasOf(int co) => NoBias || co >= OutChannels ? 0f : Bias[co];
    }

    private interface ITile
    {
        int Lanes { get; }

        // wide[cb·4 .. cb·4+3][p0 .. p0 + 3·Lanes) = [relu](Σ_ci Σ_taps w · x + bias)
        void Run(in TileArguments a, int block, int p0);
    }

    private static void RunTiles<TTile>(TTile tile, in TileArguments a)
        where TTile : struct, ITile
    {
        int step = TileVectors * tile.Lanes;
        // Pixel tile outer, channel block inner: the input rows a tile reads (Cin x ~(step + (KH-1)·Wp)) stay in L1
        // while every output channel block consumes them.
        for (int p0 = 0; p0 < a.WidePixels; p0 += step)
        {
            for (int block = 0; block < a.Blocks; block++)
            {
                tile.Run(a, block, p0);
            }
        }
    }

    // Vector512Tile, Vector256Tile and Vector128Tile: DirectConvTiles.cs, written by tools/gen_direct_conv_tiles.py.

    private readonly struct ScalarTile : ITile
    {
        public int Lanes => 1;

        public void Run(in TileArguments a, int block, int p0)
        {
            int taps = a.KernelHeight * a.KernelWidth;
            for (int lane = 0; lane < ChannelBlock; lane++)
            {
                int co = (block * ChannelBlock) + lane;
                float* o = a.Wide + ((long)co * a.WidePixels) + p0;
                for (int v = 0; v < TileVectors; v++)
                {
                    float sum = 0f;
                    float* w = a.W + ((long)block * a.InChannels * taps * ChannelBlock) + lane;
                    for (int ci = 0; ci < a.InChannels; ci++)
                    {
                        float* xc = a.X + ((long)ci * a.Plane) + p0 + v;
                        for (int kh = 0; kh < a.KernelHeight; kh++)
                        {
                            for (int kw = 0; kw < a.KernelWidth; kw++)
                            {
                                sum += w[0] * xc[(kh * a.Pitch) + kw];
                                w += ChannelBlock;
                            }
                        }
                    }

                    sum += a.BiasOf(co);
                    o[v] = a.Relu ? MathF.Max(sum, 0f) : sum;
                }
            }
        }
    }
}
