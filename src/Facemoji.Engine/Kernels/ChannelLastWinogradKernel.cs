using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// Winograd F(m x m, 3x3), m = 2, 3 or 4, for stride-1, padding-1 3x3 layers in evaluation, laid out channel-last so
/// that every pass is vectorised: each image is copied into a zero-padded (H', W', Cin') buffer; the input transform
/// V = Bᵀ·d·B reads the (m+2)x(m+2) patch of an m x m output tile as P = (m+2)² vectors of input channels; the P
/// products M[ξ] (tiles, Cout) = V[ξ] (tiles, Cin) · U[ξ] (Cin, Cout) run on register tiles with the lanes along output
/// channels (ChannelLastWinogradTiles.cs, written by tools/gen_direct_conv_tiles.py; the same tiles for every m);
/// the output transform Y = Aᵀ·M·A + bias (then ReLU) works on vectors of output channels and writes the NCHW
/// output. F(2x2): 16 multiplies per 4 outputs and channel pair instead of 36; F(3x3): 25 per 9 instead of 81 (points 0, ±1, 2,
/// ∞); F(4x4): 36 per 16 instead of 144.
/// Tiles are processed in blocks of tile rows so that V and M stay in L2. Weights: <see cref="TransformWeights"/>
/// once per Eval (U = G·w·Gᵀ with the folded BatchNorm scale, computed in double).
/// F(4x4) uses the points 0, ±1, ±2 and ∞ (Lavin and Gray): the best conditioned of the small integer sets, whose
/// transforms multiply by at most 8 (the ±1/2 set trades the 4s and 8s of Aᵀ and Bᵀ for halves in G and larger
/// factors elsewhere, no better in float). Rounding differs from the direct convolution by a few ulps of the
/// transformed values, more for F(4x4) (its Bᵀ and Aᵀ add up to 25 weighted terms); tests: 1e-4 of the output scale.
/// Reference: <see cref="Conv2dReference"/> plus scale, bias and ReLU.
/// </summary>
internal static unsafe partial class ChannelLastWinogradKernel
{
    /// <summary>Channels are padded to this multiple in V and M (≥ every vector width, so no channel remainder loops).</summary>
    private const int ChannelPad = 16;

    /// <summary>Floats of V and M together per block (~1 MiB: stays in L2).</summary>
    private const int TargetBlockFloats = 256 * 1024;

    public static bool Supports(in ConvGeometry g) => g.KernelHeight == 3 && g.KernelWidth == 3 && g.Stride == 1 && g.Padding == 1;

    /// <summary>
    /// Where it beats <see cref="DirectConvKernel"/>: maps of 6x6 or more with 16 or more input channels. Measured
    /// per bench-vgg8 layer (indicative, loaded machine): faster from 48x48 down to 6x6 on AVX2 and AVX-512 at
    /// batch 1 and 64 (on 6x6 maps only since the 9 tiles run as 6 + 3 rows, <see cref="IProductTile.RunHalf"/>,
    /// not 6 + 3 single rows, and several images share one pass over U at larger batches); slower on the first
    /// layer (one input channel padded to 16).
    /// </summary>
    public static bool Pays(in ConvGeometry g) =>
        Supports(g) && g.InChannels >= 16 && g.Height * g.Width >= 36;

    /// <summary>
    /// The output tile for a layer where <see cref="Pays"/>: 4 (F(4x4,3x3)) on maps of 12x12 or more, whose 4x4
    /// tiles waste no outputs at the sizes of the shipped networks and whose products are 9/16 of F(2x2)'s. On
    /// smaller maps (a 6x6 map would compute 8x8 outputs in F(4x4)) F(2x2), or F(3x3) where it needs fewer products
    /// (a 6x6 map is 4 tiles of 3x3: 4 x 25 products instead of 9 x 16) on batches of up to
    /// <see cref="SmallTileMaxBatch"/> images below AVX-512. Measured on the 6x6 layers of bench-vgg8 (indicative,
    /// loaded machine): F(3x3) about 20 % faster at batch 1 on the AVX2 path; no faster with AVX-512, whose products
    /// wait on reading U (25 matrices Cin x Cout instead of 16), nor at batch 64.
    /// </summary>
    public static int OutputTile(in ConvGeometry g)
    {
        if (g.Height >= 12 && g.Width >= 12)
        {
            return 4;
        }

        bool fewerProducts = TilesY(g, 3) * TilesX(g, 3) * Positions(3) < TilesY(g, 2) * TilesX(g, 2) * Positions(2);
        return fewerProducts && g.Batch <= SmallTileMaxBatch && DirectConvKernel.Lanes < 16 ? 3 : 2;
    }

    /// <summary>Batches up to this size may run F(3x3) (<see cref="OutputTile"/>).</summary>
    public const int SmallTileMaxBatch = 4;

    /// <summary>Worker slots: the images are split over up to one slot per thread.</summary>
    public static int Slots(in ConvGeometry g) => Math.Max(1, Math.Min(ParallelRows.MaxDegreeOfParallelism, g.Batch));

    /// <summary>Scratch for <see cref="Forward(float[], float[], float[], float[], in ConvGeometry, float[], bool, int)"/>: one image's per slot.</summary>
    public static int BatchScratchLength(in ConvGeometry g, int tile = 2) => Slots(g) * ScratchLength(g, tile);

    // x (N,Cin,H,W), u, bias (Cout) or null → y (N,Cout,H,W), the images split over the threads, each slot with its
    // own part of scratch (BatchScratchLength(g) floats, or a multiple of ScratchLength(g) for fewer slots).
    public static void Forward(float[] x, float[] u, float[]? bias, float[] y, in ConvGeometry g, float[] scratch, bool relu, int tile = 2)
    {
        CheckTile(tile);
        int perSlot = ScratchLength(g, tile);
        int slots = Math.Min(Slots(g), scratch.Length / perSlot);
        if (slots < 1 || x.Length < g.InputLength || y.Length < g.OutputLength)
        {
            throw new ArgumentException($"Winograd convolution over a batch: short buffers for {g} (scratch {scratch.Length} of {BatchScratchLength(g, tile)} floats).");
        }

        ParallelRows.For(slots, 1, new BatchOperation(x, u, bias, y, g, scratch, slots, relu, tile));
    }

    private readonly struct BatchOperation(float[] x, float[] u, float[]? bias, float[] y, ConvGeometry g, float[] scratch, int slots, bool relu, int tile)
        : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            int perSlot = ScratchLength(g, tile);
            int inImage = g.InChannels * g.Height * g.Width, outImage = g.OutChannels * g.Height * g.Width;
            for (int slot = start; slot < end; slot++)
            {
                int first = (int)((long)g.Batch * slot / slots), last = (int)((long)g.Batch * (slot + 1) / slots);
                if (last > first)
                {
                    int count = last - first;
                    Forward(x.AsSpan(first * inImage, count * inImage), u, bias is null ? ReadOnlySpan<float>.Empty : bias,
                        y.AsSpan(first * outImage, count * outImage), g.WithBatch(count), scratch.AsSpan(slot * perSlot, perSlot), relu, tile);
                }
            }
        }
    }

    /// <summary>Output channels per product tile on this process's path (the packing of U).</summary>
    public static int ChannelBlock(in ConvGeometry g) => DirectConvKernel.Lanes switch
    {
        16 => g.OutChannels > 32 ? 64 : 32,
        8 => 16,
        4 => 8,
        _ => ScalarBlock,
    };

    private const int ScalarBlock = 4;

    private static void CheckTile(int tile)
    {
        if (tile is < 2 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(tile), tile, "Winograd output tile: 2 (F(2x2,3x3)), 3 (F(3x3,3x3)) or 4 (F(4x4,3x3)).");
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>Transform positions ξ: (m + 2)².</summary>
    private static int Positions(int tile) => (tile + 2) * (tile + 2);

    private static int TilesX(in ConvGeometry g, int tile) => (g.Width + tile - 1) / tile;

    private static int TilesY(in ConvGeometry g, int tile) => (g.Height + tile - 1) / tile;

    private static int InPad(in ConvGeometry g) => RoundUp(g.InChannels, ChannelPad);

    private static int OutPad(in ConvGeometry g) => RoundUp(g.OutChannels, Math.Max(ChannelPad, ChannelBlock(g)));

    /// <summary>Tile rows per block: as many as keep P·tiles·(Cin' + Cout') near <see cref="TargetBlockFloats"/>.</summary>
    private static int BlockRows(in ConvGeometry g, int tile) =>
        Math.Clamp(TargetBlockFloats / (Positions(tile) * (InPad(g) + OutPad(g)) * TilesX(g, tile)), 1, TilesY(g, tile));

    /// <summary>
    /// Images per block: on maps whose tiles all fit one block (6x6, 12x12), as many images as keep V and M near
    /// <see cref="TargetBlockFloats"/>, so that the products read U (P matrices Cin x Cout, 4 MiB at 256x256 in F(2x2))
    /// once per block of images instead of once per image.
    /// </summary>
    private static int ImagesPerBlock(in ConvGeometry g, int tile) =>
        BlockRows(g, tile) < TilesY(g, tile) ? 1
            : Math.Clamp(TargetBlockFloats / (Positions(tile) * (InPad(g) + OutPad(g)) * TilesY(g, tile) * TilesX(g, tile)), 1, Math.Max(1, g.Batch));

    /// <summary>Tiles of V and M in one block: rows of one image, or whole images.</summary>
    private static int BlockTiles(in ConvGeometry g, int tile) =>
        Math.Max(BlockRows(g, tile) * TilesX(g, tile), ImagesPerBlock(g, tile) * TilesY(g, tile) * TilesX(g, tile));

    /// <summary>
    /// Floats from one position ξ of V or M to the next: a block's tiles x channels, rounded up to an odd number of
    /// 64-byte lines. The transforms write (read) the P positions of a tile at this stride; an even number of lines
    /// (e.g. 108 tiles x 32 channels, 216 lines) put those P lines in a few L1 sets and the 48x48 layer's input
    /// transform ran about 3 times slower per tile than the others.
    /// </summary>
    private static int Plane(int tiles, int channels)
    {
        int lines = (tiles * channels) / 16;
        return ((lines % 2 == 0) ? lines + 1 : lines) * 16;
    }

    private static int PaddedLength(in ConvGeometry g, int tile) => ((tile * TilesY(g, tile)) + 2) * ((tile * TilesX(g, tile)) + 2) * InPad(g);

    /// <summary>U: P matrices (Cout'/B, Cin, B).</summary>
    public static int TransformedWeightLength(in ConvGeometry g, int tile = 2) => Positions(tile) * OutPad(g) * g.InChannels;

    /// <summary>The output transform's buffer: one tile's m² rows of Cout' (F(2x2), F(4x4)) or a row of tiles' 3 output rows (F(3x3)).</summary>
    private static int OutBufferLength(in ConvGeometry g, int tile) => (tile == 3 ? 3 * g.Width : tile * tile) * OutPad(g);

    /// <summary>Scratch of one block at a time: padded input, V, M, the output buffer and the padded bias.</summary>
    public static int ScratchLength(in ConvGeometry g, int tile = 2)
    {
        CheckTile(tile);
        int tiles = BlockTiles(g, tile);
        return PaddedLength(g, tile) + (Positions(tile) * (Plane(tiles, InPad(g)) + Plane(tiles, OutPad(g)))) + OutBufferLength(g, tile) + OutPad(g);
    }

    /// <summary>G of F(2x2,3x3) (4x3), points 0, ±1, ∞.</summary>
    private static readonly double[] G2 = [1, 0, 0, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0, 0, 1];

    /// <summary>G of F(3x3,3x3) (5x3), points 0, ±1, 2, ∞.</summary>
    private static readonly double[] G3 =
    [
        1.0 / 2, 0, 0,
        -1.0 / 2, -1.0 / 2, -1.0 / 2,
        -1.0 / 6, 1.0 / 6, -1.0 / 6,
        1.0 / 6, 1.0 / 3, 2.0 / 3,
        0, 0, 1,
    ];

    /// <summary>G of F(4x4,3x3) (6x3), points 0, ±1, ±2, ∞.</summary>
    private static readonly double[] G4 =
    [
        1.0 / 4, 0, 0,
        -1.0 / 6, -1.0 / 6, -1.0 / 6,
        -1.0 / 6, 1.0 / 6, -1.0 / 6,
        1.0 / 24, 1.0 / 12, 1.0 / 6,
        1.0 / 24, -1.0 / 12, 1.0 / 6,
        0, 0, 1,
    ];

    // w (Cout,Cin,3,3), scale (Cout) or empty → u[ξ] (Cout'/B, Cin, B): scale[co]·(G·w[co][ci]·Gᵀ)[ξ] in double,
    // zero past Cout; G = G2 (tile 2) or G4 (tile 4).
    public static void TransformWeights(ReadOnlySpan<float> w, ReadOnlySpan<float> scale, Span<float> u, in ConvGeometry g, int tile = 2)
    {
        CheckTile(tile);
        int cin = g.InChannels, cout = g.OutChannels, block = ChannelBlock(g), perXi = OutPad(g) * cin;
        int alpha = tile + 2;
        if (!Supports(g) || w.Length < g.WeightLength || u.Length < TransformedWeightLength(g, tile) || (!scale.IsEmpty && scale.Length < cout))
        {
            throw new ArgumentException($"Winograd weight transform: unsupported geometry {g} or short buffers.");
        }

        var gm = tile switch { 2 => G2, 3 => G3, _ => G4 };
        u[..TransformedWeightLength(g, tile)].Clear();
        Span<double> t = stackalloc double[6 * 3];
        for (int co = 0; co < cout; co++)
        {
            double s = scale.IsEmpty ? 1.0 : scale[co];
            int group = co / block, lane = co % block;
            for (int ci = 0; ci < cin; ci++)
            {
                var k = w.Slice(((co * cin) + ci) * 9, 9);

                // t = G·k (alpha x 3), then u = t·Gᵀ (alpha x alpha)
                for (int i = 0; i < alpha; i++)
                {
                    for (int j = 0; j < 3; j++)
                    {
                        t[(i * 3) + j] = (gm[i * 3] * k[j]) + (gm[(i * 3) + 1] * k[3 + j]) + (gm[(i * 3) + 2] * k[6 + j]);
                    }
                }

                for (int i = 0; i < alpha; i++)
                {
                    for (int j = 0; j < alpha; j++)
                    {
                        double value = (t[i * 3] * gm[j * 3]) + (t[(i * 3) + 1] * gm[(j * 3) + 1]) + (t[(i * 3) + 2] * gm[(j * 3) + 2]);
                        u[(((i * alpha) + j) * perXi) + (((group * cin) + ci) * block) + lane] = (float)(s * value);
                    }
                }
            }
        }
    }

    // x (N,Cin,H,W), u from TransformWeights(tile), bias (Cout) or empty → y (N,Cout,H,W) = [relu](conv(x, w)·scale + bias).
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> u, ReadOnlySpan<float> bias, Span<float> y, in ConvGeometry g, Span<float> scratch, bool relu, int tile = 2)
    {
        CheckTile(tile);
        if (!Supports(g) || x.Length < g.InputLength || y.Length < g.OutputLength || u.Length < TransformedWeightLength(g, tile)
            || scratch.Length < ScratchLength(g, tile) || (!bias.IsEmpty && bias.Length < g.OutChannels))
        {
            throw new ArgumentException($"Winograd convolution: unsupported geometry {g} or short buffers.");
        }

        int inImage = g.InChannels * g.Height * g.Width, outImage = g.OutChannels * g.Height * g.Width, positions = Positions(tile);
        int tiles = BlockTiles(g, tile), tilesY = TilesY(g, tile), perImage = tilesY * TilesX(g, tile), imagesPerBlock = ImagesPerBlock(g, tile);
        int blockRows = BlockRows(g, tile);
        var padded = scratch[..PaddedLength(g, tile)];
        var v = scratch.Slice(padded.Length, positions * Plane(tiles, InPad(g)));
        var m = scratch.Slice(padded.Length + v.Length, positions * Plane(tiles, OutPad(g)));
        var outBuffer = scratch.Slice(padded.Length + v.Length + m.Length, OutBufferLength(g, tile));
        var biasPadded = scratch.Slice(padded.Length + v.Length + m.Length + outBuffer.Length, OutPad(g));
        biasPadded.Clear();
        if (!bias.IsEmpty)
        {
            bias[..g.OutChannels].CopyTo(biasPadded);
        }

        fixed (float* xp = padded)
        fixed (float* vp = v)
        fixed (float* mp = m)
        fixed (float* up = u)
        fixed (float* bp = biasPadded)
        fixed (float* op = outBuffer)
        fixed (float* yp = y)
        {
            if (imagesPerBlock > 1)
            {
                // Whole images per block: each image's tiles follow the previous image's in V and M.
                for (int n0 = 0; n0 < g.Batch; n0 += imagesPerBlock)
                {
                    int images = Math.Min(imagesPerBlock, g.Batch - n0);
                    for (int i = 0; i < images; i++)
                    {
                        PadChannelLast(x.Slice((n0 + i) * inImage, inImage), padded, g, tile);
                        TransformInputs(xp, vp + ((long)i * perImage * InPad(g)), g, tile, 0, tilesY, tiles);
                    }

                    Products(g, tile, up, vp, mp, tiles, images * perImage);
                    for (int i = 0; i < images; i++)
                    {
                        TransformOutputs(mp + ((long)i * perImage * OutPad(g)), bp, op, yp + ((long)(n0 + i) * outImage), g, tile, 0, tilesY, tiles, relu);
                    }
                }

                return;
            }

            for (int n = 0; n < g.Batch; n++)
            {
                PadChannelLast(x.Slice(n * inImage, inImage), padded, g, tile);
                for (int row0 = 0; row0 < tilesY; row0 += blockRows)
                {
                    int rows = Math.Min(blockRows, tilesY - row0);
                    TransformInputs(xp, vp, g, tile, row0, rows, tiles);
                    Products(g, tile, up, vp, mp, tiles, rows * TilesX(g, tile));
                    TransformOutputs(mp, bp, op, yp + ((long)n * outImage), g, tile, row0, rows, tiles, relu);
                }
            }
        }
    }

    // m[ξ] (count tiles, Cout') = v[ξ] (count tiles, Cin') · u[ξ] (Cin, Cout') for the P ξ; v and m hold `tiles` rows per ξ.
    private static void Products(in ConvGeometry g, int tile, float* u, float* v, float* m, int tiles, int count)
    {
        for (int xi = 0; xi < Positions(tile); xi++)
        {
            var args = new ProductArguments(g.InChannels, u + ((long)xi * OutPad(g) * g.InChannels), v + ((long)xi * Plane(tiles, InPad(g))), InPad(g),
                m + ((long)xi * Plane(tiles, OutPad(g))), OutPad(g));
            RunProducts(args, count, RoundUp(g.OutChannels, ChannelBlock(g)) / ChannelBlock(g), ChannelBlock(g));
        }
    }

    // x (Cin,H,W) → padded (m·TY + 2, m·TX + 2, Cin') with zeros around the image and past Cin
    private static void PadChannelLast(ReadOnlySpan<float> x, Span<float> padded, in ConvGeometry g, int tile)
    {
        int h = g.Height, w = g.Width, cp = InPad(g), pitch = ((tile * TilesX(g, tile)) + 2) * cp;
        if (cp == g.InChannels)
        {
            // Every channel of the interior is written below: clear only the border (row 0, the rows and columns
            // past the map, column 0).
            padded[..pitch].Clear();
            padded[((h + 1) * pitch)..PaddedLength(g, tile)].Clear();
            for (int r = 1; r <= h; r++)
            {
                padded.Slice(r * pitch, cp).Clear();
                padded.Slice((r * pitch) + ((w + 1) * cp), pitch - ((w + 1) * cp)).Clear();
            }
        }
        else
        {
            padded[..PaddedLength(g, tile)].Clear();
        }

        int c0 = 0;
        if (Avx.IsSupported && w >= 8)
        {
            // 8 channels x 8 columns at a time, transposed in registers (a scalar scatter cost as much as the
            // input transform).
            fixed (float* xp = x)
            fixed (float* pp = padded)
            {
                for (; c0 + 8 <= g.InChannels; c0 += 8)
                {
                    for (int r = 0; r < h; r++)
                    {
                        float* src = xp + ((long)c0 * h * w) + (r * w);
                        float* dst = pp + ((r + 1) * pitch) + cp + c0;
                        int col = 0;
                        for (; col + 8 <= w; col += 8)
                        {
                            GemmPanelTranspose.Transpose8x8(src + col, h * w, dst + (col * cp), cp);
                        }

                        for (; col < w; col++)
                        {
                            for (int c = 0; c < 8; c++)
                            {
                                dst[(col * cp) + c] = src[((long)c * h * w) + col];
                            }
                        }
                    }
                }
            }
        }

        for (int c = c0; c < g.InChannels; c++)
        {
            var plane = x.Slice(c * h * w, h * w);
            for (int r = 0; r < h; r++)
            {
                int o = ((r + 1) * pitch) + cp + c;
                var src = plane.Slice(r * w, w);
                for (int col = 0; col < w; col++)
                {
                    padded[o + (col * cp)] = src[col];
                }
            }
        }
    }

    private static void TransformInputs(float* x, float* v, in ConvGeometry g, int tile, int row0, int rows, int tiles)
    {
        if (tile == 2)
        {
            TransformInputs2(x, v, g, row0, rows, tiles);
        }
        else if (tile == 3)
        {
            TransformInputs3(x, v, g, row0, rows, tiles);
        }
        else
        {
            TransformInputs4(x, v, g, row0, rows, tiles);
        }
    }

    private static void TransformOutputs(float* m, float* bias, float* buffer, float* y, in ConvGeometry g, int tile, int row0, int rows, int tiles, bool relu)
    {
        if (tile == 2)
        {
            TransformOutputs2(m, bias, buffer, y, g, row0, rows, tiles, relu);
        }
        else if (tile == 3)
        {
            TransformOutputs3(m, bias, buffer, y, g, row0, rows, tiles, relu);
        }
        else
        {
            TransformOutputs4(m, bias, buffer, y, g, row0, rows, tiles, relu);
        }
    }

    // v[ξ][t][c] = (Bᵀ·d·B)[ξ] for the tiles of rows row0 .. row0 + rows, d the 4x4 patch at padded (2ty, 2tx);
    // Bᵀ = [[1,0,−1,0],[0,1,1,0],[0,−1,1,0],[0,1,0,−1]].
    private static void TransformInputs2(float* x, float* v, in ConvGeometry g, int row0, int rows, int tiles)
    {
        int cp = InPad(g), tx = TilesX(g, 2), pitch = ((2 * tx) + 2) * cp, lanes = Vector<float>.Count;
        long plane = Plane(tiles, cp);
        for (int r = 0; r < rows; r++)
        {
            for (int c0 = 0; c0 < tx; c0++)
            {
                float* d = x + ((long)(2 * (row0 + r)) * pitch) + (2 * c0 * cp);
                float* o = v + ((long)((r * tx) + c0) * cp);
                for (int c = 0; c < cp; c += lanes)
                {
                    // s = Bᵀ·d row combinations, for each of the 4 columns j
                    Vector<float> s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15;
                    {
                        var d0 = Load(d + c, 0, 0, pitch, cp); var d4 = Load(d + c, 1, 0, pitch, cp); var d8 = Load(d + c, 2, 0, pitch, cp); var d12 = Load(d + c, 3, 0, pitch, cp);
                        s0 = d0 - d8; s4 = d4 + d8; s8 = d8 - d4; s12 = d4 - d12;
                        var d1 = Load(d + c, 0, 1, pitch, cp); var d5 = Load(d + c, 1, 1, pitch, cp); var d9 = Load(d + c, 2, 1, pitch, cp); var d13 = Load(d + c, 3, 1, pitch, cp);
                        s1 = d1 - d9; s5 = d5 + d9; s9 = d9 - d5; s13 = d5 - d13;
                        var d2 = Load(d + c, 0, 2, pitch, cp); var d6 = Load(d + c, 1, 2, pitch, cp); var d10 = Load(d + c, 2, 2, pitch, cp); var d14 = Load(d + c, 3, 2, pitch, cp);
                        s2 = d2 - d10; s6 = d6 + d10; s10 = d10 - d6; s14 = d6 - d14;
                        var d3 = Load(d + c, 0, 3, pitch, cp); var d7 = Load(d + c, 1, 3, pitch, cp); var d11 = Load(d + c, 2, 3, pitch, cp); var d15 = Load(d + c, 3, 3, pitch, cp);
                        s3 = d3 - d11; s7 = d7 + d11; s11 = d11 - d7; s15 = d7 - d15;
                    }

                    // v = s·B: per row i, (s_i0 − s_i2, s_i1 + s_i2, s_i2 − s_i1, s_i1 − s_i3)
                    Store(o + c, plane, 0, s0 - s2); Store(o + c, plane, 1, s1 + s2); Store(o + c, plane, 2, s2 - s1); Store(o + c, plane, 3, s1 - s3);
                    Store(o + c, plane, 4, s4 - s6); Store(o + c, plane, 5, s5 + s6); Store(o + c, plane, 6, s6 - s5); Store(o + c, plane, 7, s5 - s7);
                    Store(o + c, plane, 8, s8 - s10); Store(o + c, plane, 9, s9 + s10); Store(o + c, plane, 10, s10 - s9); Store(o + c, plane, 11, s9 - s11);
                    Store(o + c, plane, 12, s12 - s14); Store(o + c, plane, 13, s13 + s14); Store(o + c, plane, 14, s14 - s13); Store(o + c, plane, 15, s13 - s15);
                }
            }
        }
    }

    // v[ξ][t][c] = (Bᵀ·d·B)[ξ] for the tiles of rows row0 .. row0 + rows, d the 5x5 patch at padded (3ty, 3tx);
    // Bᵀ = [[2,−1,−2,1,0],[0,−2,−1,1,0],[0,2,−3,1,0],[0,−1,0,1,0],[0,2,−1,−2,1]].
    private static void TransformInputs3(float* x, float* v, in ConvGeometry g, int row0, int rows, int tiles)
    {
        int cp = InPad(g), tx = TilesX(g, 3), pitch = ((3 * tx) + 2) * cp, lanes = Vector<float>.Count;
        long plane = Plane(tiles, cp);
        Vector<float>* s = stackalloc Vector<float>[25];
        for (int r = 0; r < rows; r++)
        {
            for (int c0 = 0; c0 < tx; c0++)
            {
                float* d = x + ((long)(3 * (row0 + r)) * pitch) + (3 * c0 * cp);
                float* o = v + ((long)((r * tx) + c0) * cp);
                for (int c = 0; c < cp; c += lanes)
                {
                    // s = Bᵀ·d, column by column
                    for (int j = 0; j < 5; j++)
                    {
                        float* dj = d + c + (j * cp);
                        Input3Combinations(
                            *(Vector<float>*)dj, *(Vector<float>*)(dj + pitch), *(Vector<float>*)(dj + (2 * pitch)),
                            *(Vector<float>*)(dj + (3 * pitch)), *(Vector<float>*)(dj + (4 * pitch)),
                            out s[j], out s[5 + j], out s[10 + j], out s[15 + j], out s[20 + j]);
                    }

                    // v = s·B, row by row
                    for (int i = 0; i < 5; i++)
                    {
                        Vector<float>* si = s + (i * 5);
                        Input3Combinations(si[0], si[1], si[2], si[3], si[4], out var r0, out var r1, out var r2, out var r3, out var r4);
                        float* oi = o + c + (i * 5 * plane);
                        *(Vector<float>*)oi = r0;
                        *(Vector<float>*)(oi + plane) = r1;
                        *(Vector<float>*)(oi + (2 * plane)) = r2;
                        *(Vector<float>*)(oi + (3 * plane)) = r3;
                        *(Vector<float>*)(oi + (4 * plane)) = r4;
                    }
                }
            }
        }
    }

    // Bᵀ·d for one column of 5: (2(d0 − d2) + (d3 − d1), (d3 − d2) − 2d1, 2d1 + (d3 − 3d2), d3 − d1, 2(d1 − d3) + (d4 − d2))
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Input3Combinations(Vector<float> d0, Vector<float> d1, Vector<float> d2, Vector<float> d3, Vector<float> d4,
        out Vector<float> r0, out Vector<float> r1, out Vector<float> r2, out Vector<float> r3, out Vector<float> r4)
    {
        var two = new Vector<float>(2f);
        var diff31 = d3 - d1;
        r0 = Vector.MultiplyAddEstimate(two, d0 - d2, diff31);
        var diff32 = d3 - d2;
        r1 = diff32 - (two * d1);
        r2 = Vector.MultiplyAddEstimate(two, d1 - d2, diff32);
        r3 = diff31;
        r4 = Vector.MultiplyAddEstimate(two, d1 - d3, d4 - d2);
    }

    // v[ξ][t][c] = (Bᵀ·d·B)[ξ] for the tiles of rows row0 .. row0 + rows, d the 6x6 patch at padded (4ty, 4tx);
    // Bᵀ = [[4,0,−5,0,1,0],[0,−4,−4,1,1,0],[0,4,−4,−1,1,0],[0,−2,−1,2,1,0],[0,2,−1,−2,1,0],[0,4,0,−5,0,1]].
    private static void TransformInputs4(float* x, float* v, in ConvGeometry g, int row0, int rows, int tiles)
    {
        int cp = InPad(g), tx = TilesX(g, 4), pitch = ((4 * tx) + 2) * cp, lanes = Vector<float>.Count;
        long plane = Plane(tiles, cp);
        Vector<float>* s = stackalloc Vector<float>[36];
        for (int r = 0; r < rows; r++)
        {
            for (int c0 = 0; c0 < tx; c0++)
            {
                float* d = x + ((long)(4 * (row0 + r)) * pitch) + (4 * c0 * cp);
                float* o = v + ((long)((r * tx) + c0) * cp);
                for (int c = 0; c < cp; c += lanes)
                {
                    // s = Bᵀ·d, column by column
                    for (int j = 0; j < 6; j++)
                    {
                        float* dj = d + c + (j * cp);
                        InputRow(
                            *(Vector<float>*)dj, *(Vector<float>*)(dj + pitch), *(Vector<float>*)(dj + (2 * pitch)),
                            *(Vector<float>*)(dj + (3 * pitch)), *(Vector<float>*)(dj + (4 * pitch)), *(Vector<float>*)(dj + (5 * pitch)),
                            s + j, 6);
                    }

                    // v = s·B, row by row
                    for (int i = 0; i < 6; i++)
                    {
                        Vector<float>* si = s + (i * 6);
                        Vector<float> r0, r1, r2, r3, r4, r5;
                        InputCombinations(si[0], si[1], si[2], si[3], si[4], si[5], out r0, out r1, out r2, out r3, out r4, out r5);
                        float* oi = o + c + (i * 6 * plane);
                        *(Vector<float>*)oi = r0;
                        *(Vector<float>*)(oi + plane) = r1;
                        *(Vector<float>*)(oi + (2 * plane)) = r2;
                        *(Vector<float>*)(oi + (3 * plane)) = r3;
                        *(Vector<float>*)(oi + (4 * plane)) = r4;
                        *(Vector<float>*)(oi + (5 * plane)) = r5;
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputRow(Vector<float> d0, Vector<float> d1, Vector<float> d2, Vector<float> d3, Vector<float> d4, Vector<float> d5, Vector<float>* s, int step)
    {
        InputCombinations(d0, d1, d2, d3, d4, d5, out var r0, out var r1, out var r2, out var r3, out var r4, out var r5);
        s[0] = r0;
        s[step] = r1;
        s[2 * step] = r2;
        s[3 * step] = r3;
        s[4 * step] = r4;
        s[5 * step] = r5;
    }

    // Bᵀ·d for one column of 6: (4d0 − 5d2 + d4, (d3 + d4) − 4(d1 + d2), (d4 − d3) + 4(d1 − d2), (d4 − d2) − 2(d1 − d3),
    // (d4 − d2) + 2(d1 − d3), 4d1 − 5d3 + d5)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputCombinations(Vector<float> d0, Vector<float> d1, Vector<float> d2, Vector<float> d3, Vector<float> d4, Vector<float> d5,
        out Vector<float> r0, out Vector<float> r1, out Vector<float> r2, out Vector<float> r3, out Vector<float> r4, out Vector<float> r5)
    {
        var four = new Vector<float>(4f);
        var five = new Vector<float>(5f);
        var two = new Vector<float>(2f);
        r0 = Vector.MultiplyAddEstimate(four, d0, d4) - (five * d2);
        var sum12 = d1 + d2;
        var sum34 = d3 + d4;
        r1 = sum34 - (four * sum12);
        var diff12 = d1 - d2;
        var diff43 = d4 - d3;
        r2 = Vector.MultiplyAddEstimate(four, diff12, diff43);
        var diff42 = d4 - d2;
        var diff13 = d1 - d3;
        r3 = diff42 - (two * diff13);
        r4 = Vector.MultiplyAddEstimate(two, diff13, diff42);
        r5 = Vector.MultiplyAddEstimate(four, d1, d5) - (five * d3);
    }

    private static Vector<float> Load(float* d, int i, int j, int pitch, int cp) => *(Vector<float>*)(d + (i * pitch) + (j * cp));

    private static void Store(float* o, long plane, int xi, Vector<float> value) => *(Vector<float>*)(o + (xi * plane)) = value;

    // y[co][2ty + a][2tx + b] = [relu]((Aᵀ·m·A)[a][b] + bias[co]), Aᵀ = [[1,1,1,0],[0,1,−1,−1]]; outputs past the map dropped.
    private static void TransformOutputs2(float* m, float* bias, float* buffer, float* y, in ConvGeometry g, int row0, int rows, int tiles, bool relu)
    {
        int cp = OutPad(g), tx = TilesX(g, 2), lanes = Vector<float>.Count, oh = g.Height, ow = g.Width, plane = oh * ow;
        long stride = Plane(tiles, cp);
        for (int r = 0; r < rows; r++)
        {
            int oy = 2 * (row0 + r);
            bool lastRowInside = oy + 1 < oh;
            for (int c0 = 0; c0 < tx; c0++)
            {
                int ox = 2 * c0;
                bool lastColumnInside = ox + 1 < ow;
                float* mt = m + ((long)((r * tx) + c0) * cp);
                for (int c = 0; c < cp; c += lanes)
                {
                    float* p = mt + c;
                    var m00 = V(p, stride, 0); var m01 = V(p, stride, 1); var m02 = V(p, stride, 2); var m03 = V(p, stride, 3);
                    var m10 = V(p, stride, 4); var m11 = V(p, stride, 5); var m12 = V(p, stride, 6); var m13 = V(p, stride, 7);
                    var m20 = V(p, stride, 8); var m21 = V(p, stride, 9); var m22 = V(p, stride, 10); var m23 = V(p, stride, 11);
                    var m30 = V(p, stride, 12); var m31 = V(p, stride, 13); var m32 = V(p, stride, 14); var m33 = V(p, stride, 15);
                    var a0 = m00 + m10 + m20; var a1 = m01 + m11 + m21; var a2 = m02 + m12 + m22; var a3 = m03 + m13 + m23;
                    var b0 = m10 - m20 - m30; var b1 = m11 - m21 - m31; var b2 = m12 - m22 - m32; var b3 = m13 - m23 - m33;
                    var bv = *(Vector<float>*)(bias + c);
                    var y00 = a0 + a1 + a2 + bv; var y01 = a1 - a2 - a3 + bv; var y10 = b0 + b1 + b2 + bv; var y11 = b1 - b2 - b3 + bv;
                    if (relu)
                    {
                        y00 = Vector.Max(y00, Vector<float>.Zero);
                        y01 = Vector.Max(y01, Vector<float>.Zero);
                        y10 = Vector.Max(y10, Vector<float>.Zero);
                        y11 = Vector.Max(y11, Vector<float>.Zero);
                    }

                    *(Vector<float>*)(buffer + c) = y00;
                    *(Vector<float>*)(buffer + cp + c) = y01;
                    *(Vector<float>*)(buffer + (2 * cp) + c) = y10;
                    *(Vector<float>*)(buffer + (3 * cp) + c) = y11;
                }

                float* at = y + (oy * ow) + ox;
                for (int co = 0; co < g.OutChannels; co++)
                {
                    float* o = at + ((long)co * plane);
                    o[0] = buffer[co];
                    if (lastColumnInside)
                    {
                        o[1] = buffer[cp + co];
                    }

                    if (lastRowInside)
                    {
                        o[ow] = buffer[(2 * cp) + co];
                        if (lastColumnInside)
                        {
                            o[ow + 1] = buffer[(3 * cp) + co];
                        }
                    }
                }
            }
        }
    }

    // y[co][4ty + a][4tx + b] = [relu]((Aᵀ·m·A)[a][b] + bias[co]),
    // Aᵀ = [[1,1,1,1,1,0],[0,1,−1,2,−2,0],[0,1,1,4,4,0],[0,1,−1,8,−8,1]]; outputs past the map dropped.
    private static void TransformOutputs4(float* m, float* bias, float* buffer, float* y, in ConvGeometry g, int row0, int rows, int tiles, bool relu)
    {
        int cp = OutPad(g), tx = TilesX(g, 4), lanes = Vector<float>.Count, oh = g.Height, ow = g.Width, plane = oh * ow;
        long stride = Plane(tiles, cp);
        Vector<float>* t = stackalloc Vector<float>[24];
        for (int r = 0; r < rows; r++)
        {
            int oy = 4 * (row0 + r), rowsInside = Math.Min(4, oh - oy);
            for (int c0 = 0; c0 < tx; c0++)
            {
                int ox = 4 * c0, columnsInside = Math.Min(4, ow - ox);
                float* mt = m + ((long)((r * tx) + c0) * cp);
                for (int c = 0; c < cp; c += lanes)
                {
                    float* p = mt + c;

                    // t = Aᵀ·m (4x6), column by column
                    for (int j = 0; j < 6; j++)
                    {
                        OutputCombinations(V(p, stride, j), V(p, stride, 6 + j), V(p, stride, 12 + j), V(p, stride, 18 + j), V(p, stride, 24 + j), V(p, stride, 30 + j),
                            out t[j], out t[6 + j], out t[12 + j], out t[18 + j]);
                    }

                    // y = t·A + bias, row by row
                    var bv = *(Vector<float>*)(bias + c);
                    for (int i = 0; i < 4; i++)
                    {
                        Vector<float>* ti = t + (i * 6);
                        OutputCombinations(ti[0], ti[1], ti[2], ti[3], ti[4], ti[5], out var y0, out var y1, out var y2, out var y3);
                        y0 += bv;
                        y1 += bv;
                        y2 += bv;
                        y3 += bv;
                        if (relu)
                        {
                            y0 = Vector.Max(y0, Vector<float>.Zero);
                            y1 = Vector.Max(y1, Vector<float>.Zero);
                            y2 = Vector.Max(y2, Vector<float>.Zero);
                            y3 = Vector.Max(y3, Vector<float>.Zero);
                        }

                        float* bi = buffer + c + (i * 4 * cp);
                        *(Vector<float>*)bi = y0;
                        *(Vector<float>*)(bi + cp) = y1;
                        *(Vector<float>*)(bi + (2 * cp)) = y2;
                        *(Vector<float>*)(bi + (3 * cp)) = y3;
                    }
                }

                float* at = y + (oy * ow) + ox;
                if (rowsInside == 4 && columnsInside == 4)
                {
                    int co = 0;
                    if (Avx.IsSupported)
                    {
                        for (; co + 8 <= g.OutChannels; co += 8)
                        {
                            Scatter4x4(buffer + co, cp, at + ((long)co * plane), plane, ow);
                        }
                    }

                    for (; co < g.OutChannels; co++)
                    {
                        float* o = at + ((long)co * plane);
                        float* b = buffer + co;
                        o[0] = b[0]; o[1] = b[cp]; o[2] = b[2 * cp]; o[3] = b[3 * cp];
                        o += ow; b += 4 * cp;
                        o[0] = b[0]; o[1] = b[cp]; o[2] = b[2 * cp]; o[3] = b[3 * cp];
                        o += ow; b += 4 * cp;
                        o[0] = b[0]; o[1] = b[cp]; o[2] = b[2 * cp]; o[3] = b[3 * cp];
                        o += ow; b += 4 * cp;
                        o[0] = b[0]; o[1] = b[cp]; o[2] = b[2 * cp]; o[3] = b[3 * cp];
                    }
                }
                else
                {
                    for (int co = 0; co < g.OutChannels; co++)
                    {
                        float* o = at + ((long)co * plane);
                        for (int a = 0; a < rowsInside; a++)
                        {
                            for (int b = 0; b < columnsInside; b++)
                            {
                                o[(a * ow) + b] = buffer[(((a * 4) + b) * cp) + co];
                            }
                        }
                    }
                }
            }
        }
    }

    // y[co][3ty + a][3tx + b] = [relu]((Aᵀ·m·A)[a][b] + bias[co]), Aᵀ = [[1,1,1,1,0],[0,1,−1,2,0],[0,1,1,4,1]];
    // outputs past the map dropped. A row of tiles covers whole output rows, whose outputs of one channel are
    // consecutive in y: the row is written channel-last into `buffer` (pixel (a, x) at row a·W + x), then
    // transposed into the channels' planes in 8x8 blocks (rows of 3 outputs per tile left a scalar copy per
    // channel and output, slower than the transform itself on 6x6 maps).
    private static void TransformOutputs3(float* m, float* bias, float* buffer, float* y, in ConvGeometry g, int row0, int rows, int tiles, bool relu)
    {
        int cp = OutPad(g), tx = TilesX(g, 3), lanes = Vector<float>.Count, oh = g.Height, ow = g.Width, plane = oh * ow;
        long stride = Plane(tiles, cp);
        Vector<float>* t = stackalloc Vector<float>[15];
        Vector<float>* yv = stackalloc Vector<float>[9];
        for (int r = 0; r < rows; r++)
        {
            int oy = 3 * (row0 + r), rowsInside = Math.Min(3, oh - oy);
            for (int c0 = 0; c0 < tx; c0++)
            {
                int ox = 3 * c0, columnsInside = Math.Min(3, ow - ox);
                float* mt = m + ((long)((r * tx) + c0) * cp);
                for (int c = 0; c < cp; c += lanes)
                {
                    float* p = mt + c;

                    // t = Aᵀ·m (3x5), column by column
                    for (int j = 0; j < 5; j++)
                    {
                        Output3Combinations(V(p, stride, j), V(p, stride, 5 + j), V(p, stride, 10 + j), V(p, stride, 15 + j), V(p, stride, 20 + j),
                            out t[j], out t[5 + j], out t[10 + j]);
                    }

                    // y = t·A + bias, row by row
                    var bv = *(Vector<float>*)(bias + c);
                    for (int i = 0; i < 3; i++)
                    {
                        Vector<float>* ti = t + (i * 5);
                        Output3Combinations(ti[0], ti[1], ti[2], ti[3], ti[4], out yv[3 * i], out yv[(3 * i) + 1], out yv[(3 * i) + 2]);
                    }

                    for (int a = 0; a < rowsInside; a++)
                    {
                        for (int b = 0; b < columnsInside; b++)
                        {
                            var value = yv[(3 * a) + b] + bv;
                            *(Vector<float>*)(buffer + ((long)((a * ow) + ox + b) * cp) + c) = relu ? Vector.Max(value, Vector<float>.Zero) : value;
                        }
                    }
                }
            }

            ChannelLastToPlanes(buffer, cp, rowsInside * ow, y + (oy * ow), plane, g.OutChannels);
        }
    }

    // buffer (pixels, cp) → y[c][0 .. pixels) for c < channels, planes `plane` apart: 8x8 transposes with AVX, the
    // rest one value at a time.
    private static void ChannelLastToPlanes(float* buffer, int cp, int pixels, float* y, int plane, int channels)
    {
        int c = 0;
        if (Avx.IsSupported)
        {
            for (; c + 8 <= channels; c += 8)
            {
                int p = 0;
                for (; p + 8 <= pixels; p += 8)
                {
                    GemmPanelTranspose.Transpose8x8(buffer + ((long)p * cp) + c, cp, y + ((long)c * plane) + p, plane);
                }

                for (; p < pixels; p++)
                {
                    for (int k = 0; k < 8; k++)
                    {
                        y[((long)(c + k) * plane) + p] = buffer[((long)p * cp) + c + k];
                    }
                }
            }
        }

        for (; c < channels; c++)
        {
            for (int p = 0; p < pixels; p++)
            {
                y[((long)c * plane) + p] = buffer[((long)p * cp) + c];
            }
        }
    }

    // Aᵀ·m for one column of 5: (m0 + (m1 + m2) + m3, (m1 − m2) + 2m3, (m1 + m2) + 4m3 + m4)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Output3Combinations(Vector<float> m0, Vector<float> m1, Vector<float> m2, Vector<float> m3, Vector<float> m4,
        out Vector<float> y0, out Vector<float> y1, out Vector<float> y2)
    {
        var sum12 = m1 + m2;
        y0 = m0 + sum12 + m3;
        y1 = Vector.MultiplyAddEstimate(new Vector<float>(2f), m3, m1 - m2);
        y2 = Vector.MultiplyAddEstimate(new Vector<float>(4f), m3, sum12) + m4;
    }

    // buffer (16 positions (a, b), stride cp) of 8 channels → y[c][a][b] for the 8 channels c (planes `plane` apart,
    // rows `ow` apart): per pair of rows, an 8x8 transpose of the positions (a, 0..3), (a + 1, 0..3) gives each
    // channel's two rows of 4 in one vector. (The scalar copy, 16 loads and stores per channel, cost about as much
    // as the output transform.)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scatter4x4(float* buffer, int cp, float* y, int plane, int ow)
    {
        for (int a = 0; a < 4; a += 2)
        {
            float* b = buffer + (a * 4 * cp);
            Vector256<float> r0 = Avx.LoadVector256(b), r1 = Avx.LoadVector256(b + cp);
            Vector256<float> r2 = Avx.LoadVector256(b + (2 * cp)), r3 = Avx.LoadVector256(b + (3 * cp));
            Vector256<float> r4 = Avx.LoadVector256(b + (4 * cp)), r5 = Avx.LoadVector256(b + (5 * cp));
            Vector256<float> r6 = Avx.LoadVector256(b + (6 * cp)), r7 = Avx.LoadVector256(b + (7 * cp));
            Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
            Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
            Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
            Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);

            // u_k holds channel k in its low half and channel k + 4 in its high half, for rows a (first 4 of the
            // transposed 8) and a + 1 (last 4) after the 128-bit swap below.
            Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
            Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
            Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
            Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
            float* o = y + (a * ow);
            StoreRows(o, ow, Avx.Permute2x128(u0, u4, 0x20));
            StoreRows(o + plane, ow, Avx.Permute2x128(u1, u5, 0x20));
            StoreRows(o + (2 * plane), ow, Avx.Permute2x128(u2, u6, 0x20));
            StoreRows(o + (3 * plane), ow, Avx.Permute2x128(u3, u7, 0x20));
            StoreRows(o + (4 * plane), ow, Avx.Permute2x128(u0, u4, 0x31));
            StoreRows(o + (5 * plane), ow, Avx.Permute2x128(u1, u5, 0x31));
            StoreRows(o + (6 * plane), ow, Avx.Permute2x128(u2, u6, 0x31));
            StoreRows(o + (7 * plane), ow, Avx.Permute2x128(u3, u7, 0x31));
        }
    }

    // v = (row a: 4 outputs, row a + 1: 4 outputs) → y[0..3], y[ow .. ow + 3]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRows(float* y, int ow, Vector256<float> v)
    {
        Sse.Store(y, v.GetLower());
        Sse.Store(y + ow, v.GetUpper());
    }

    private static Vector<float> V(float* p, long stride, int xi) => *(Vector<float>*)(p + (xi * stride));

    // Aᵀ·m for one column of 6: (m0 + (m1 + m2) + (m3 + m4), (m1 − m2) + 2(m3 − m4), (m1 + m2) + 4(m3 + m4), (m1 − m2) + 8(m3 − m4) + m5)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputCombinations(Vector<float> m0, Vector<float> m1, Vector<float> m2, Vector<float> m3, Vector<float> m4, Vector<float> m5,
        out Vector<float> y0, out Vector<float> y1, out Vector<float> y2, out Vector<float> y3)
    {
        var sum12 = m1 + m2;
        var diff12 = m1 - m2;
        var sum34 = m3 + m4;
        var diff34 = m3 - m4;
        y0 = m0 + sum12 + sum34;
        y1 = Vector.MultiplyAddEstimate(new Vector<float>(2f), diff34, diff12);
        y2 = Vector.MultiplyAddEstimate(new Vector<float>(4f), sum34, sum12);
        y3 = Vector.MultiplyAddEstimate(new Vector<float>(8f), diff34, diff12) + m5;
    }


    private readonly struct ProductArguments(int inChannels, float* u, float* v, int vStride, float* m, int mStride)
    {
        public readonly int InChannels = inChannels;

        /// <summary>U[ξ] packed (groups, Cin, B).</summary>
        public readonly float* U = u;

        /// <summary>V[ξ] (tiles, Cin').</summary>
        public readonly float* V = v;

        public readonly int VStride = vStride;

        /// <summary>M[ξ] (tiles, Cout').</summary>
        public readonly float* M = m;

        public readonly int MStride = mStride;
    }

    private interface IProductTile
    {
        int ChannelBlock { get; }

        int Rows { get; }

        void Run(in ProductArguments a, int group, int t0);

        // Rows / 2 rows: the 9 tiles of a 6x6 map run as 6 + 3, not 6 + 3 single rows (a single row loads as many
        // weight vectors as it does FMAs).
        void RunHalf(in ProductArguments a, int group, int t0);

        // 4 rows: the 4 tiles of a 6x6 map in F(3x3) (3 + 1 would leave the last row on two accumulator chains).
        void RunFour(in ProductArguments a, int group, int t0);

        void RunOne(in ProductArguments a, int group, int t0);
    }

    private static void RunProducts(in ProductArguments a, int count, int groups, int block)
    {
        int lanes = DirectConvKernel.Lanes;
        if (lanes == 16 && block == 64)
        {
            Run(new Vector512Product4x6(), a, count, groups);
        }
        else if (lanes == 16)
        {
            Run(new Vector512Product2x6(), a, count, groups);
        }
        else if (lanes == 8)
        {
            Run(new Vector256Product2x6(), a, count, groups);
        }
        else if (lanes == 4)
        {
            Run(new Vector128Product2x6(), a, count, groups);
        }
        else
        {
            Run(new ScalarProduct(), a, count, groups);
        }
    }

    private static void Run<TTile>(TTile tile, in ProductArguments a, int count, int groups)
        where TTile : struct, IProductTile
    {
        for (int group = 0; group < groups; group++)
        {
            int t = 0;
            for (; t + tile.Rows <= count; t += tile.Rows)
            {
                tile.Run(a, group, t);
            }

            if (tile.Rows > 4 && t + 4 <= count)
            {
                tile.RunFour(a, group, t);
                t += 4;
            }

            if (tile.Rows > 1 && t + (tile.Rows / 2) <= count)
            {
                tile.RunHalf(a, group, t);
                t += tile.Rows / 2;
            }

            for (; t < count; t++)
            {
                tile.RunOne(a, group, t);
            }
        }
    }

    private readonly struct ScalarProduct : IProductTile
    {
        public int ChannelBlock => ScalarBlock;

        public int Rows => 1;

        public void Run(in ProductArguments a, int group, int t0) => RunOne(a, group, t0);

        public void RunHalf(in ProductArguments a, int group, int t0) => RunOne(a, group, t0);

        public void RunFour(in ProductArguments a, int group, int t0) => RunOne(a, group, t0);

        public void RunOne(in ProductArguments a, int group, int t0)
        {
            float* v = a.V + ((long)t0 * a.VStride);
            for (int lane = 0; lane < ScalarBlock; lane++)
            {
                float sum = 0f;
                float* w = a.U + ((long)group * a.InChannels * ScalarBlock) + lane;
                for (int ci = 0; ci < a.InChannels; ci++)
                {
                    sum += v[ci] * w[(long)ci * ScalarBlock];
                }

                a.M[((long)t0 * a.MStride) + (group * ScalarBlock) + lane] = sum;
            }
        }
    }
}
