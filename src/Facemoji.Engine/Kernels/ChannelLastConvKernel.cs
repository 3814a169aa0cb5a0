using System.Runtime.CompilerServices;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// Convolution of one channel-last (NHWC) image for the TFLite interpreter, any kernel size, stride and padding:
/// an implicit GEMM with no im2col. The weights are packed once (<see cref="PackWeights"/>) into groups of output
/// channel vectors; a register tile (ChannelLastConvTiles.cs, written by tools/gen_direct_conv_tiles.py) computes a
/// group's vectors for a few consecutive output pixels, broadcasting each input value against the group's weight
/// vectors, and finishes in registers with the bias, an optional residual (a tensor added to the result, such as
/// BlazeFace's skip connection, whose channels may be fewer than the output's) and an optional ReLU. Each tap of a
/// tile reads its input pixel through a pointer table built per tile, pointing at a zero row where the window leaves
/// the image, so padding costs no branches in the tile. When the input is dense (pitch = channels) and the kernel wider
/// than one pixel, the image is first copied into a zero-bordered buffer: a kernel row's KW pixels are then KW·Cin
/// consecutive floats, read through one pointer (BlazeFace's first layer: 5 rows of 15 instead of 25 taps of 3).
/// Pixels may be stored with a channel pitch above the channel
/// count (lanes past the channels zero); with an output pitch of whole vectors the tile stores straight to the
/// output, otherwise through a small buffer. Plain reference: <see cref="ChannelLastConvReference"/>.
/// </summary>
internal static unsafe partial class ChannelLastConvKernel
{
    /// <summary>Most pixels of any tile in ChannelLastConvTiles.cs.</summary>
    private const int MaxPixels = 12;

    /// <summary>Most floats of one group's channels: 4 vectors of 16.</summary>
    private const int MaxBlock = 64;

    /// <summary>Output channels per group on the scalar path (no hardware intrinsics).</summary>
    private const int ScalarBlock = 4;

    /// <summary>Floats per vector on the path this process runs (16, 8, 4, or 1 without hardware intrinsics).</summary>
    public static int Lanes => DirectConvKernel.Lanes;

    /// <summary>The channel pitch that makes every pixel whole vectors: <paramref name="channels"/> rounded up to <see cref="Lanes"/>.</summary>
    public static int PaddedPitch(int channels) => RoundUp(channels, Lanes);

    /// <summary>Whether a residual stored with this pitch can be added in the tile (it is read in whole vectors).</summary>
    public static bool SupportsResidualPitch(int pitch) => pitch % Lanes == 0;

    private static int OutVectors(in ChannelLastConvGeometry g) => RoundUp(g.OutChannels, Lanes) / Lanes;

    public static int PackedWeightLength(in ChannelLastConvGeometry g) => OutVectors(g) * Lanes * g.Taps * g.InChannels;

    public static int PackedBiasLength(in ChannelLastConvGeometry g) => OutVectors(g) * Lanes;

    /// <summary>Pointers of the per-tile table <see cref="Forward"/> needs.</summary>
    public static int TableLength(in ChannelLastConvGeometry g) => g.Taps * MaxPixels;

    /// <summary>Floats of scratch <see cref="Forward"/> needs: the zero row the padding reads, the tile buffer and the bordered image.</summary>
    public static int ScratchLength(in ChannelLastConvGeometry g) => g.InChannels + (MaxPixels * MaxBlock) + (RowWindows(g) ? BorderedLength(g) : 0);

    // Whether a kernel row is read as one run of KW·Cin floats from the zero-bordered copy of a dense image.
    private static bool RowWindows(in ChannelLastConvGeometry g) => g.KernelWidth > 1 && g.InPitch == g.InChannels;

    // The bordered image: every row and column any window reads, (OH-1)·s + KH rows of (OW-1)·s + KW pixels.
    private static int BorderedHeight(in ChannelLastConvGeometry g) => ((g.OutHeight - 1) * g.Stride) + g.KernelHeight;

    private static int BorderedWidth(in ChannelLastConvGeometry g) => ((g.OutWidth - 1) * g.Stride) + g.KernelWidth;

    private static int BorderedLength(in ChannelLastConvGeometry g) => BorderedHeight(g) * BorderedWidth(g) * g.InChannels;

    // The vectors of the next group of output channels: as many as the widest tile holds, 5 as 3 + 2 (no lone vector).
    private static int NextGroup(int remaining) => Lanes switch
    {
        16 => remaining == 5 ? 3 : Math.Min(4, remaining),
        8 or 4 => Math.Min(2, remaining),
        _ => Math.Min(ScalarBlock, remaining),
    };

    // weight (Cout,KH,KW,Cin), bias (Cout) or empty -> packed: per group of vectors [v0, v0 + nv), (KH·KW·Cin, nv·lanes)
    // at offset v0·lanes·KH·KW·Cin, zero past Cout; packedBias (vectors·lanes), zero past Cout.
    public static void PackWeights(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> packed, Span<float> packedBias, in ChannelLastConvGeometry g)
    {
        g.Validate();
        int lanes = Lanes, vectors = OutVectors(g), k = g.Taps * g.InChannels;
        packed[..PackedWeightLength(g)].Clear();
        packedBias[..PackedBiasLength(g)].Clear();
        bias[..Math.Min(bias.Length, g.OutChannels)].CopyTo(packedBias);
        for (int v0 = 0; v0 < vectors;)
        {
            int nv = NextGroup(vectors - v0), block = nv * lanes;
            var target = packed.Slice(v0 * lanes * k, k * block);
            for (int lane = 0; lane < block; lane++)
            {
                int co = (v0 * lanes) + lane;
                if (co >= g.OutChannels)
                {
                    break;
                }

                var source = weight.Slice(co * k, k);
                for (int i = 0; i < k; i++)
                {
                    target[(i * block) + lane] = source[i];
                }
            }

            v0 += nv;
        }
    }

    // x (H,W,InPitch) -> y (OH,OW,OutPitch) = [relu](conv(x, w) + bias [+ residual (OH,OW,residualPitch), its lanes below
    // residualPitch]); lanes from Cout to the next whole vector are written (zero when those of the residual are),
    // others past Cout are left alone. table and scratch as TableLength and ScratchLength say.
    public static void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> packed, ReadOnlySpan<float> packedBias, ReadOnlySpan<float> residual, int residualPitch,
        Span<float> y, in ChannelLastConvGeometry g, bool relu, Span<nint> table, Span<float> scratch)
    {
        g.Validate();
        int lanes = Lanes, pixels = g.OutHeight * g.OutWidth;
        if (x.Length < g.InputLength || y.Length < g.OutputLength || packed.Length < PackedWeightLength(g) || packedBias.Length < PackedBiasLength(g) ||
            table.Length < TableLength(g) || scratch.Length < ScratchLength(g))
        {
            throw new ArgumentException("A buffer is smaller than the convolution's geometry needs.");
        }

        if (!residual.IsEmpty && (!SupportsResidualPitch(residualPitch) || residual.Length < pixels * residualPitch))
        {
            throw new ArgumentException($"The residual (pitch {residualPitch}, {residual.Length} floats) does not fit the output.");
        }

        scratch[..g.InChannels].Clear();
        bool rows = RowWindows(g);
        if (rows)
        {
            // x (H,W,Cin) -> the bordered image (Hb,Wb,Cin), zero where the windows reach past the image.
            var bordered = scratch.Slice(g.InChannels + (MaxPixels * MaxBlock), BorderedLength(g));
            bordered.Clear();
            int wb = BorderedWidth(g), cin = g.InChannels;
            int rowsIn = Math.Min(g.Height, BorderedHeight(g) - g.PadTop), columnsIn = Math.Min(g.Width, wb - g.PadLeft);
            for (int iy = 0; iy < rowsIn; iy++)
            {
                x.Slice(iy * g.Width * cin, columnsIn * cin).CopyTo(bordered.Slice((((iy + g.PadTop) * wb) + g.PadLeft) * cin));
            }
        }

        fixed (float* xp = x, wp = packed, bp = packedBias, rp = residual, yp = y, sp = scratch)
        fixed (nint* tp = table)
        {
            float* bordered = rows ? sp + g.InChannels + (MaxPixels * MaxBlock) : null;
            var c = new Context(g, xp, sp, sp + g.InChannels, tp, wp, bp, residual.IsEmpty ? null : rp, residualPitch, yp, relu, bordered);
            int vectors = OutVectors(g);
            for (int v0 = 0; v0 < vectors;)
            {
                int nv = NextGroup(vectors - v0);
                switch (lanes, nv)
                {
                    case (16, 4): RunGroup(new Vector512ConvTile4x6(), c, v0, nv); break;
                    case (16, 3): RunGroup(new Vector512ConvTile3x8(), c, v0, nv); break;
                    case (16, 2): RunGroup(new Vector512ConvTile2x12(), c, v0, nv); break;
                    case (16, _): RunGroup(new Vector512ConvTile1x12(), c, v0, nv); break;
                    case (8, 2): RunGroup(new Vector256ConvTile2x6(), c, v0, nv); break;
                    case (8, _): RunGroup(new Vector256ConvTile1x12(), c, v0, nv); break;
                    case (4, 2): RunGroup(new Vector128ConvTile2x6(), c, v0, nv); break;
                    case (4, _): RunGroup(new Vector128ConvTile1x12(), c, v0, nv); break;
                    default: RunGroup(new ScalarConvTile(), c, v0, nv); break;
                }

                v0 += nv;
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private readonly struct Context(
        in ChannelLastConvGeometry g, float* x, float* zero, float* tile, nint* table, float* w, float* bias, float* residual, int residualPitch,
        float* y, bool relu, float* bordered)
    {
        public readonly ChannelLastConvGeometry G = g;
        public readonly float* X = x;

        /// <summary>InChannels zeros: what a tap outside the image reads.</summary>
        public readonly float* Zero = zero;

        /// <summary>The tile buffer (pixels, block) of an output whose pitch is not whole vectors.</summary>
        public readonly float* Tile = tile;

        public readonly nint* Table = table;
        public readonly float* W = w;
        public readonly float* Bias = bias;
        public readonly float* Residual = residual;
        public readonly int ResidualPitch = residualPitch;
        public readonly float* Y = y;
        public readonly bool Relu = relu;

        /// <summary>The zero-bordered copy of a dense image when kernel rows are read whole, else null.</summary>
        public readonly float* Bordered = bordered;
    }

    // Every pixel tile of the group of output vectors [v0, v0 + nv).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunGroup<TTile>(TTile tile, in Context c, int v0, int nv)
        where TTile : struct, IConvTile
    {
        var g = c.G;
        int lanes = Lanes, block = nv * lanes, rows = tile.Pixels, pixels = g.OutHeight * g.OutWidth, k = g.Taps * g.InChannels;
        int residualVectors = c.Residual == null ? 0 : Math.Clamp((c.ResidualPitch / lanes) - v0, 0, nv);
        bool direct = g.OutPitch % lanes == 0;
        int channels = Math.Min(block, g.OutChannels - (v0 * lanes));
        float* w = c.W + ((long)v0 * lanes * k);
        float* bias = c.Bias + (v0 * lanes);
        float** table = (float**)c.Table;
        for (int p0 = 0; p0 < pixels; p0 += rows)
        {
            int count = Math.Min(rows, pixels - p0);
            BuildTable(c, table, p0, count, rows);
            float* output = direct ? c.Y + ((long)p0 * g.OutPitch) + (v0 * lanes) : c.Tile;
            int outputStride = direct ? g.OutPitch : block;
            float* residual = residualVectors > 0 ? c.Residual + ((long)p0 * c.ResidualPitch) + (v0 * lanes) : null;
            var a = new ConvTileArguments(c.Bordered != null ? g.KernelHeight : g.Taps, c.Bordered != null ? g.KernelWidth * g.InChannels : g.InChannels, rows, block, w, bias, residual, c.ResidualPitch, residualVectors, output, outputStride, c.Relu);
            if (count == rows)
            {
                tile.Run(a, table);
            }
            else
            {
                for (int j = 0; j < count; j++)
                {
                    tile.RunOne(a.AtPixel(j), table + j);
                }
            }

            if (!direct)
            {
                for (int j = 0; j < count; j++)
                {
                    new ReadOnlySpan<float>(c.Tile + (j * block), channels).CopyTo(new Span<float>(c.Y + ((long)(p0 + j) * g.OutPitch) + (v0 * lanes), channels));
                }
            }
        }
    }

    // table[tap · rows + j] = the input pixel that tap (ky, kx) of output pixel p0 + j reads, or the zero row; with the
    // bordered image, table[ky · rows + j] = the first pixel of kernel row ky.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BuildTable(in Context c, float** table, int p0, int count, int rows)
    {
        var g = c.G;
        if (c.Bordered != null)
        {
            int wb = BorderedWidth(g);
            for (int j = 0; j < count; j++)
            {
                int p = p0 + j, oy = p / g.OutWidth, ox = p - (oy * g.OutWidth);
                float* first = c.Bordered + ((((long)oy * g.Stride * wb) + (ox * g.Stride)) * g.InChannels);
                for (int ky = 0; ky < g.KernelHeight; ky++)
                {
                    table[(ky * rows) + j] = first + ((long)ky * wb * g.InChannels);
                }
            }

            return;
        }

        for (int j = 0; j < count; j++)
        {
            int p = p0 + j, oy = p / g.OutWidth, ox = p - (oy * g.OutWidth);
            int iy0 = (oy * g.Stride) - g.PadTop, ix0 = (ox * g.Stride) - g.PadLeft;
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                int iy = iy0 + ky;
                bool rowInside = (uint)iy < (uint)g.Height;
                for (int kx = 0; kx < g.KernelWidth; kx++)
                {
                    int ix = ix0 + kx;
                    table[(((ky * g.KernelWidth) + kx) * rows) + j] =
                        rowInside && (uint)ix < (uint)g.Width ? c.X + ((((long)iy * g.Width) + ix) * g.InPitch) : c.Zero;
                }
            }
        }
    }

    private readonly struct ConvTileArguments(
        int taps, int inChannels, int tableStride, int block, float* w, float* bias, float* residual, int residualStride, int residualVectors,
        float* output, int outputStride, bool relu)
    {
        public readonly int Taps = taps;
        public readonly int InChannels = inChannels;

        /// <summary>Pointers per tap in the table: the tile's pixels.</summary>
        public readonly int TableStride = tableStride;

        /// <summary>Output channels of the group (vectors · lanes).</summary>
        public readonly int Block = block;

        /// <summary>The group's packed weights (KH·KW·Cin, Block).</summary>
        public readonly float* W = w;

        public readonly float* Bias = bias;

        /// <summary>The residual at the tile's first pixel and the group's first channel; read for vectors below <see cref="ResidualVectors"/>.</summary>
        public readonly float* Residual = residual;
        public readonly int ResidualStride = residualStride;
        public readonly int ResidualVectors = residualVectors;

        /// <summary>Where the tile's first pixel goes (the output or the tile buffer), pixels <see cref="OutputStride"/> apart.</summary>
        public readonly float* Output = output;
        public readonly int OutputStride = outputStride;
        public readonly bool Relu = relu;

        public ConvTileArguments AtPixel(int j) => new(
            Taps, InChannels, TableStride, Block, W, Bias, Residual == null ? null : Residual + ((long)j * ResidualStride), ResidualStride, ResidualVectors,
            Output + ((long)j * OutputStride), OutputStride, Relu);
    }

    private interface IConvTile
    {
        /// <summary>Vectors of output channels (the group's width).</summary>
        int Vectors { get; }

        /// <summary>Consecutive output pixels of <see cref="Run"/>.</summary>
        int Pixels { get; }

        // o[j][..Block) = [relu](Σ_tap Σ_ci px[tap][j][ci] · w[tap][ci][..] + bias [+ residual[j]]) for j < Pixels.
        void Run(in ConvTileArguments a, float** px);

        // The same for one pixel: px[tap · TableStride] is its table.
        void RunOne(in ConvTileArguments a, float** px);
    }

    // The Vector512, Vector256 and Vector128 tiles: ChannelLastConvTiles.cs, written by tools/gen_direct_conv_tiles.py.

    private readonly struct ScalarConvTile : IConvTile
    {
        public int Vectors => ScalarBlock;

        public int Pixels => 1;

        public void Run(in ConvTileArguments a, float** px) => RunOne(a, px);

        public void RunOne(in ConvTileArguments a, float** px)
        {
            for (int lane = 0; lane < a.Block; lane++)
            {
                float sum = 0f;
                float* wk = a.W + lane;
                for (int tap = 0; tap < a.Taps; tap++)
                {
                    float* xk = px[tap * a.TableStride];
                    for (int ci = 0; ci < a.InChannels; ci++)
                    {
                        sum += xk[ci] * *wk;
                        wk += a.Block;
                    }
                }

                float r = sum + a.Bias[lane];
                if (lane < a.ResidualVectors)
                {
                    r += a.Residual[lane];
                }

                a.Output[lane] = a.Relu ? MathF.Max(r, 0f) : r;
            }
        }
    }
}
