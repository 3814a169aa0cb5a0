using System.Runtime.Intrinsics;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// Direct (implicit-GEMM) convolution for inference and the training forward: stride 1, any kernel size and zero
/// padding, weights pre-packed once (<see cref="PackWeights"/>, with a per-channel output scale such as a folded
/// BatchNorm multiplied in), bias and optional ReLU applied in registers. No im2col: the image is copied into a
/// zero-padded buffer of row pitch Wp = W + 2·pad, so that output pixel (oh, ow) reads input (oh + kh, ow + kw)
/// with no bounds checks. Register tile (as MLAS's NCHWc kernels): the vector lanes run along output channels,
/// <see cref="ChannelBlock"/> channels by a few consecutive pixels of one output row; per kernel tap the tile loads
/// one weight vector per channel vector and broadcasts one input value per pixel, so no lane is spent on padding
/// columns or on maps narrower than a vector (6x6). The tile's results go through a small buffer to the NCHW output.
/// Every output is Σ_ci Σ_kh Σ_kw w·x accumulated in that order with one FMA per term, then + bias, as before the
/// tiles were channel-major, so the results did not change. Plain reference: <see cref="Conv2dReference"/> followed
/// by the scale, bias and ReLU.
/// </summary>
internal static unsafe partial class DirectConvKernel
{
    /// <summary>Largest tile buffer: channel block x pixels of any tile in DirectConvTiles.cs.</summary>
    private const int MaxTileFloats = 64 * 12;

    /// <summary>True where this kernel can compute the convolution (stride 1; square padding as Conv2d).</summary>
    public static bool Supports(in ConvGeometry g) => g.Stride == 1;

    /// <summary>Pixels per vector on the path this process runs (16, 8, 4, or 1 without hardware intrinsics).</summary>
    public static int Lanes =>
        Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : Vector128.IsHardwareAccelerated ? 4 : 1;

    /// <summary>
    /// Output channels per tile on this process's path, and so the grouping of the packed weights: 4x16 with
    /// AVX-512 (2x16 when Cout ≤ 32, with twice the pixels), 2x8 with AVX2, 2x4 with Vector128, 4 scalar.
    /// </summary>
    public static int ChannelBlock(in ConvGeometry g) => Lanes switch
    {
        16 => g.OutChannels > 32 ? 64 : 32,
        8 => 16,
        4 => 8,
        _ => ScalarBlock,
    };

    private const int ScalarBlock = 4;

    public static int PackedWeightLength(in ConvGeometry g) =>
        RoundUp(g.OutChannels, ChannelBlock(g)) * g.InChannels * g.KernelHeight * g.KernelWidth;

    /// <summary>Floats of scratch: the padded image, the bias padded to whole channel blocks and the tile buffer.</summary>
    public static int ScratchLength(in ConvGeometry g) => PaddedInputLength(g) + RoundUp(g.OutChannels, ChannelBlock(g)) + MaxTileFloats;

    // weight (Cout,Cin,KH,KW), scale (Cout) or empty for 1 -> packed (ceil(Cout/B), Cin, KH·KW, B), zero past Cout,
    // with B = ChannelBlock(g).
    public static void PackWeights(ReadOnlySpan<float> weight, ReadOnlySpan<float> scale, Span<float> packed, in ConvGeometry g)
    {
        int taps = g.KernelHeight * g.KernelWidth;
        int cin = g.InChannels, block = ChannelBlock(g);
        packed[..PackedWeightLength(g)].Clear();
        for (int co = 0; co < g.OutChannels; co++)
        {
            float s = scale.IsEmpty ? 1f : scale[co];
            int group = co / block, lane = co % block;
            for (int ci = 0; ci < cin; ci++)
            {
                for (int t = 0; t < taps; t++)
                {
                    packed[(((group * cin) + ci) * taps + t) * block + lane] = weight[((co * cin) + ci) * taps + t] * s;
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

        int block = ChannelBlock(g);
        var padded = scratch[..PaddedInputLength(g)];
        var paddedBias = scratch.Slice(PaddedInputLength(g), RoundUp(g.OutChannels, block));
        var tile = scratch.Slice(PaddedInputLength(g) + paddedBias.Length, MaxTileFloats);
        paddedBias.Clear();
        if (!bias.IsEmpty)
        {
            bias[..g.OutChannels].CopyTo(paddedBias);
        }

        int lanes = Lanes;
        for (int n = 0; n < g.Batch; n++)
        {
            PadImage(x.Slice(n * inImage, inImage), padded, g);
            fixed (float* xp = padded)
            fixed (float* wp = packed)
            fixed (float* bp = paddedBias)
            fixed (float* tp = tile)
            fixed (float* yp = y.Slice(n * outImage, outImage))
            {
                var args = new TileArguments(g, xp, wp, bp, tp, yp, relu);
                if (lanes == 16 && block == 64)
                {
                    RunTiles(new Vector512Tile4x6(), args);
                }
                else if (lanes == 16)
                {
                    RunTiles(new Vector512Tile2x12(), args);
                }
                else if (lanes == 8)
                {
                    RunTiles(new Vector256Tile2x6(), args);
                }
                else if (lanes == 4)
                {
                    RunTiles(new Vector128Tile2x6(), args);
                }
                else
                {
                    RunTiles(new ScalarTile(), args);
                }
            }
        }
    }

    private static int Pitch(in ConvGeometry g) => g.Width + (2 * g.Padding);

    private static int PaddedPlane(in ConvGeometry g) => (g.Height + (2 * g.Padding)) * Pitch(g);

    // A tile at (oh, ow0) reads up to (oh + KH − 1)·Wp + ow0 + P − 1 + KW − 1 ≤ the last element of the plane.
    private static int PaddedInputLength(in ConvGeometry g) => g.InChannels * PaddedPlane(g);

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    // x (Cin,H,W) -> padded (Cin, H+2p, W+2p) with zero borders
    private static void PadImage(ReadOnlySpan<float> x, Span<float> padded, in ConvGeometry g)
    {
        int pitch = Pitch(g), plane = PaddedPlane(g), h = g.Height, w = g.Width, p = g.Padding;
        if (p > 0)
        {
            padded.Clear();
        }

        for (int c = 0; c < g.InChannels; c++)
        {
            for (int row = 0; row < h; row++)
            {
                x.Slice(((c * h) + row) * w, w).CopyTo(padded.Slice((c * plane) + ((row + p) * pitch) + p, w));
            }
        }
    }

    private readonly struct TileArguments(in ConvGeometry g, float* x, float* w, float* bias, float* tile, float* y, bool relu)
    {
        public readonly int InChannels = g.InChannels;
        public readonly int KernelHeight = g.KernelHeight;
        public readonly int KernelWidth = g.KernelWidth;
        public readonly int Pitch = DirectConvKernel.Pitch(g);
        public readonly int Plane = PaddedPlane(g);
        public readonly int OutChannels = g.OutChannels;
        public readonly int OutHeight = g.OutHeight;
        public readonly int OutWidth = g.OutWidth;
        public readonly int Groups = RoundUp(g.OutChannels, ChannelBlock(g)) / ChannelBlock(g);

        /// <summary>The padded image (Cin, H+2p, W+2p).</summary>
        public readonly float* X = x;

        /// <summary>The packed weights (groups, Cin, KH·KW, B).</summary>
        public readonly float* W = w;

        /// <summary>The bias padded with zeros to whole channel blocks.</summary>
        public readonly float* Bias = bias;

        /// <summary>Tile buffer (P, B): a tile's results before <see cref="Scatter"/>.</summary>
        public readonly float* Tile = tile;

        /// <summary>This image's output (Cout, OH, OW).</summary>
        public readonly float* Y = y;

        public readonly bool Relu = relu;
    }

    private interface ITile
    {
        /// <summary>Output channels per tile (the packed weights' group width).</summary>
        int ChannelBlock { get; }

        /// <summary>Consecutive output pixels of <see cref="Run"/>.</summary>
        int Pixels { get; }

        // y[group·B .. +B)[oh][ow0 .. ow0 + Pixels) = [relu](Σ_ci Σ_taps w · x + bias)
        void Run(in TileArguments a, int group, int oh, int ow0);

        // The same for the one pixel (oh, ow0): the end of a row that is not a whole number of tiles.
        void RunOne(in TileArguments a, int group, int oh, int ow0);
    }

    private static void RunTiles<TTile>(TTile tile, in TileArguments a)
        where TTile : struct, ITile
    {
        int pixels = tile.Pixels;
        // Channel group outer: its packed weights (Cin·KH·KW·B floats) stay in L2 while every pixel tile reads them.
        for (int group = 0; group < a.Groups; group++)
        {
            for (int oh = 0; oh < a.OutHeight; oh++)
            {
                int ow = 0;
                for (; ow + pixels <= a.OutWidth; ow += pixels)
                {
                    tile.Run(a, group, oh, ow);
                }

                for (; ow < a.OutWidth; ow++)
                {
                    tile.RunOne(a, group, oh, ow);
                }
            }
        }
    }

    // tile (pixels, block) -> y[group·block + c][oh][ow0 + j] for the channels below Cout (the generated tiles
    // unroll this over their pixels; RunOne and the scalar tile call it)
    private static void Scatter(in TileArguments a, int group, int block, int oh, int ow0, int pixels)
    {
        int co0 = group * block;
        int count = Math.Min(block, a.OutChannels - co0);
        int plane = a.OutHeight * a.OutWidth;
        float* y = a.Y + ((long)co0 * plane) + (oh * a.OutWidth) + ow0;
        float* t = a.Tile;
        for (int c = 0; c < count; c++)
        {
            float* row = y + ((long)c * plane);
            for (int j = 0; j < pixels; j++)
            {
                row[j] = t[(j * block) + c];
            }
        }
    }

    // Vector512Tile4x6, Vector512Tile2x12, Vector256Tile2x6 and Vector128Tile2x6: DirectConvTiles.cs, written by
    // tools/gen_direct_conv_tiles.py.

    private readonly struct ScalarTile : ITile
    {
        public int ChannelBlock => ScalarBlock;

        public int Pixels => 1;

        public void Run(in TileArguments a, int group, int oh, int ow0) => RunOne(a, group, oh, ow0);

        public void RunOne(in TileArguments a, int group, int oh, int ow0)
        {
            int taps = a.KernelHeight * a.KernelWidth;
            for (int lane = 0; lane < ScalarBlock; lane++)
            {
                float sum = 0f;
                float* w = a.W + ((long)group * a.InChannels * taps * ScalarBlock) + lane;
                for (int ci = 0; ci < a.InChannels; ci++)
                {
                    float* xc = a.X + ((long)ci * a.Plane) + (oh * a.Pitch) + ow0;
                    for (int kh = 0; kh < a.KernelHeight; kh++)
                    {
                        for (int kw = 0; kw < a.KernelWidth; kw++)
                        {
                            sum += w[0] * xc[(kh * a.Pitch) + kw];
                            w += ScalarBlock;
                        }
                    }
                }

                sum += a.Bias[(group * ScalarBlock) + lane];
                a.Tile[lane] = a.Relu ? MathF.Max(sum, 0f) : sum;
            }

            Scatter(a, group, ScalarBlock, oh, ow0, 1);
        }
    }
}
