
namespace Facemoji.Engine.Kernels;

/// <summary>
/// Winograd F(2x2, 3x3) convolution for stride-1, padding-1 3x3 layers (Lavin and Gray, 2015): each 2x2 block of
/// outputs ("tile") comes from a 4x4 input patch with 16 multiplies per input/output channel pair instead of 36.
/// The weights are transformed once (U = G·w·Gᵀ, with the per-channel output scale of a folded BatchNorm
/// multiplied in); per block of tiles the inputs are transformed (V = Bᵀ·d·B), the 16 products
/// M[ξ] (Cout, tiles) = U[ξ] (Cout, Cin) · V[ξ] (Cin, tiles) are 16 SGEMMs, and the outputs come back as
/// Y = Aᵀ·M·A, with bias and ReLU in the same pass. Blocks of tiles are spread over worker slots, each with its
/// own scratch (<see cref="ScratchLength"/>), so nothing is allocated per call. Rounding differs from the direct
/// convolution by a few float ulps of the transformed values (the tests hold it to 1e-4 of the output scale).
/// Reference: <see cref="Conv2dReference"/> (plus scale, bias and ReLU). ConvBn no longer selects it: once
/// <see cref="DirectConvKernel"/> had channel-major register tiles, this kernel (scalar transforms, 16 SGEMMs)
/// lost to it on every bench-vgg8 layer at batch 1 and 16 on AVX-512 and AVX2; it stays, tested, as the
/// starting point for a Winograd with vectorised transforms.
/// </summary>
internal static class WinogradConvKernel
{
    /// <summary>
    /// Below this many input channels the 16 small-K SGEMMs and the transforms cost more than the multiplies saved:
    /// measured per bench-vgg8 layer at batch 64 on one AVX2 thread, Winograd beat the direct kernel from 128 input
    /// channels on (12x12 and 6x6 maps) and lost to it below (32 and 64 channels, 48x48 and 24x24 maps).
    /// </summary>
    public const int MinInChannels = 128;

    /// <summary>Floats of one slot's transformed inputs and products together (~2 MiB: the block stays in L2/L3).</summary>
    private const int TargetSlotFloats = 512 * 1024;

    /// <summary>The geometries this kernel computes: 3x3, stride 1, padding 1.</summary>
    public static bool Supports(in ConvGeometry g) => g.KernelHeight == 3 && g.KernelWidth == 3 && g.Stride == 1 && g.Padding == 1;

    /// <summary>Where it is faster than the direct kernel (batches above a few images, <see cref="MinInChannels"/> or more).</summary>
    public static bool Pays(in ConvGeometry g) => Supports(g) && g.InChannels >= MinInChannels;

    /// <summary>Length of the transformed weights U (16, Cout, Cin).</summary>
    public static int TransformedWeightLength(in ConvGeometry g) => 16 * g.OutChannels * g.InChannels;

    /// <summary>Tiles per image: ⌈OH/2⌉·⌈OW/2⌉.</summary>
    public static int TilesPerImage(in ConvGeometry g) => ((g.OutHeight + 1) / 2) * ((g.OutWidth + 1) / 2);

    /// <summary>Tiles per block: a multiple of 16 that keeps a slot's V and M near <see cref="TargetSlotFloats"/>.</summary>
    public static int TileBlock(in ConvGeometry g)
    {
        int fit = TargetSlotFloats / (16 * (g.InChannels + g.OutChannels));
        int block = Math.Clamp(fit / 16 * 16, 16, 256);
        int total = g.Batch * TilesPerImage(g);
        return Math.Min(block, (total + 15) / 16 * 16);
    }

    public static int ScratchPerSlot(in ConvGeometry g) => 16 * (g.InChannels + g.OutChannels) * TileBlock(g);

    public static int Slots(in ConvGeometry g)
    {
        int blocks = (g.Batch * TilesPerImage(g) + TileBlock(g) - 1) / TileBlock(g);
        return Math.Max(1, Math.Min(ParallelRows.MaxDegreeOfParallelism, blocks));
    }

    public static int ScratchLength(in ConvGeometry g) => Slots(g) * ScratchPerSlot(g);

    // w (Cout,Cin,3,3), scale (Cout) or empty → u (16,Cout,Cin): u[ξ][co][ci] = scale[co]·(G·w[co][ci]·Gᵀ)[ξ],
    // G = [[1,0,0],[½,½,½],[½,−½,½],[0,0,1]].
    public static void TransformWeights(ReadOnlySpan<float> w, ReadOnlySpan<float> scale, Span<float> u, in ConvGeometry g)
    {
        int cin = g.InChannels, cout = g.OutChannels, plane = cout * cin;
        if (!Supports(g) || w.Length < g.WeightLength || u.Length < TransformedWeightLength(g) || (!scale.IsEmpty && scale.Length < cout))
        {
            throw new ArgumentException($"Winograd weight transform: unsupported geometry {g} or short buffers.");
        }

        Span<float> t = stackalloc float[12];
        for (int co = 0; co < cout; co++)
        {
            float s = scale.IsEmpty ? 1f : scale[co];
            for (int ci = 0; ci < cin; ci++)
            {
                var k = w.Slice(((co * cin) + ci) * 9, 9);
                // t (4,3) = G · k
                for (int j = 0; j < 3; j++)
                {
                    float k0 = k[j], k1 = k[3 + j], k2 = k[6 + j];
                    t[j] = k0;
                    t[3 + j] = 0.5f * (k0 + k1 + k2);
                    t[6 + j] = 0.5f * (k0 - k1 + k2);
                    t[9 + j] = k2;
                }

                // u (4,4) = t · Gᵀ
                int o = (co * cin) + ci;
                for (int i = 0; i < 4; i++)
                {
                    float t0 = t[i * 3], t1 = t[(i * 3) + 1], t2 = t[(i * 3) + 2];
                    u[(((i * 4) + 0) * plane) + o] = s * t0;
                    u[(((i * 4) + 1) * plane) + o] = s * 0.5f * (t0 + t1 + t2);
                    u[(((i * 4) + 2) * plane) + o] = s * 0.5f * (t0 - t1 + t2);
                    u[(((i * 4) + 3) * plane) + o] = s * t2;
                }
            }
        }
    }

    // x (N,Cin,H,W), u (16,Cout,Cin) from TransformWeights, bias (Cout) or null, y (N,Cout,H,W) written:
    // y = conv(x, w)·scale + bias, then ReLU when relu. scratch: at least ScratchLength(g) floats.
    public static void Forward(float[] x, float[] u, float[]? bias, float[] y, in ConvGeometry g, float[] scratch, bool relu)
    {
        if (!Supports(g) || x.Length < g.InputLength || y.Length < g.OutputLength || u.Length < TransformedWeightLength(g)
            || (bias != null && bias.Length < g.OutChannels))
        {
            throw new ArgumentException($"Winograd convolution: unsupported geometry {g} or short buffers.");
        }

        int perSlot = ScratchPerSlot(g);
        int slots = Math.Min(Slots(g), scratch.Length / perSlot);
        if (slots < 1)
        {
            throw new ArgumentException($"Winograd scratch of {scratch.Length} floats is smaller than the {perSlot} one slot needs for {g}.");
        }

        ParallelRows.For(slots, 1, new ForwardOperation(x, u, bias, y, g, scratch, slots, relu));
    }

    private readonly struct ForwardOperation(float[] x, float[] u, float[]? bias, float[] y, ConvGeometry g, float[] scratch, int slots, bool relu)
        : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            int block = TileBlock(g), perSlot = ScratchPerSlot(g);
            int total = g.Batch * TilesPerImage(g);
            int blocks = (total + block - 1) / block;
            int gemmThreads = slots > 1 ? 1 : ParallelRows.MaxDegreeOfParallelism;
            for (int slot = start; slot < end; slot++)
            {
                var slotScratch = scratch.AsSpan(slot * perSlot, perSlot);
                int first = (int)((long)blocks * slot / slots), last = (int)((long)blocks * (slot + 1) / slots);
                for (int b = first; b < last; b++)
                {
                    int t0 = b * block;
                    RunBlock(t0, Math.Min(block, total - t0), block, slotScratch, gemmThreads);
                }
            }
        }

        private void RunBlock(int t0, int count, int block, Span<float> slotScratch, int gemmThreads)
        {
            int cin = g.InChannels, cout = g.OutChannels;
            Span<float> v = slotScratch[..(16 * cin * block)];
            Span<float> m = slotScratch.Slice(16 * cin * block, 16 * cout * block);
            TransformInputs(t0, count, block, v);
            for (int xi = 0; xi < 16; xi++)
            {
                // M[ξ] (Cout, count) = U[ξ] (Cout, Cin) · V[ξ] (Cin, count)
                Gemm.Sgemm(Transpose.None, Transpose.None, cout, count, cin,
                    u.AsSpan(xi * cout * cin, cout * cin), cin, v.Slice(xi * cin * block, cin * block), block,
                    m.Slice(xi * cout * block, cout * block), block, false, gemmThreads, GemmKernelKind.Auto);
            }

            TransformOutputs(t0, count, block, m);
        }

        // v[ξ][ci][tile] = (Bᵀ·d·B)[ξ] for the 4x4 patch d at (2ty − 1, 2tx − 1), zero outside the image;
        // Bᵀ = [[1,0,−1,0],[0,1,1,0],[0,−1,1,0],[0,1,0,−1]].
        private void TransformInputs(int t0, int count, int block, Span<float> v)
        {
            int h = g.Height, w = g.Width, cin = g.InChannels, plane = h * w;
            int tilesX = (g.OutWidth + 1) / 2, perImage = TilesPerImage(g), stride = cin * block;
            Span<float> d = stackalloc float[16];
            // Channel outer, tile inner: each of the 16 planes of V is written sequentially.
            for (int ci = 0; ci < cin; ci++)
            {
                for (int tt = 0; tt < count; tt++)
                {
                    int tile = t0 + tt, n = tile / perImage, r = tile % perImage;
                    int y0 = (2 * (r / tilesX)) - 1, x0 = (2 * (r % tilesX)) - 1;
                    var image = x.AsSpan(((n * cin) + ci) * plane, plane);
                    if (y0 >= 0 && x0 >= 0 && y0 + 4 <= h && x0 + 4 <= w)
                    {
                        for (int i = 0; i < 4; i++)
                        {
                            image.Slice(((y0 + i) * w) + x0, 4).CopyTo(d.Slice(i * 4, 4));
                        }
                    }
                    else
                    {
                        for (int i = 0; i < 4; i++)
                        {
                            int yy = y0 + i;
                            for (int j = 0; j < 4; j++)
                            {
                                int xx = x0 + j;
                                d[(i * 4) + j] = (uint)yy < (uint)h && (uint)xx < (uint)w ? image[(yy * w) + xx] : 0f;
                            }
                        }
                    }

                    // rows: s = Bᵀ·d
                    for (int j = 0; j < 4; j++)
                    {
                        float d0 = d[j], d1 = d[4 + j], d2 = d[8 + j], d3 = d[12 + j];
                        d[j] = d0 - d2;
                        d[4 + j] = d1 + d2;
                        d[8 + j] = d2 - d1;
                        d[12 + j] = d1 - d3;
                    }

                    // columns: v = s·B
                    int o = (ci * block) + tt;
                    for (int i = 0; i < 4; i++)
                    {
                        float s0 = d[i * 4], s1 = d[(i * 4) + 1], s2 = d[(i * 4) + 2], s3 = d[(i * 4) + 3];
                        v[(((i * 4) + 0) * stride) + o] = s0 - s2;
                        v[(((i * 4) + 1) * stride) + o] = s1 + s2;
                        v[(((i * 4) + 2) * stride) + o] = s2 - s1;
                        v[(((i * 4) + 3) * stride) + o] = s1 - s3;
                    }
                }
            }
        }

        // y 2x2 = Aᵀ·m·A + bias (then ReLU), Aᵀ = [[1,1,1,0],[0,1,−1,−1]]; outputs past the map's edge are dropped.
        private void TransformOutputs(int t0, int count, int block, Span<float> m)
        {
            int oh = g.OutHeight, ow = g.OutWidth, cout = g.OutChannels, plane = oh * ow;
            int tilesX = (ow + 1) / 2, perImage = TilesPerImage(g), stride = cout * block;
            for (int co = 0; co < cout; co++)
            {
                float b = bias == null ? 0f : bias[co];
                for (int tt = 0; tt < count; tt++)
                {
                    int o = (co * block) + tt;
                    float m00 = m[o], m01 = m[stride + o], m02 = m[(2 * stride) + o], m03 = m[(3 * stride) + o];
                    float m10 = m[(4 * stride) + o], m11 = m[(5 * stride) + o], m12 = m[(6 * stride) + o], m13 = m[(7 * stride) + o];
                    float m20 = m[(8 * stride) + o], m21 = m[(9 * stride) + o], m22 = m[(10 * stride) + o], m23 = m[(11 * stride) + o];
                    float m30 = m[(12 * stride) + o], m31 = m[(13 * stride) + o], m32 = m[(14 * stride) + o], m33 = m[(15 * stride) + o];
                    float a0 = m00 + m10 + m20, a1 = m01 + m11 + m21, a2 = m02 + m12 + m22, a3 = m03 + m13 + m23;
                    float c0 = m10 - m20 - m30, c1 = m11 - m21 - m31, c2 = m12 - m22 - m32, c3 = m13 - m23 - m33;
                    float y00 = a0 + a1 + a2 + b, y01 = a1 - a2 - a3 + b, y10 = c0 + c1 + c2 + b, y11 = c1 - c2 - c3 + b;
                    if (relu)
                    {
                        y00 = MathF.Max(y00, 0f);
                        y01 = MathF.Max(y01, 0f);
                        y10 = MathF.Max(y10, 0f);
                        y11 = MathF.Max(y11, 0f);
                    }

                    int tile = t0 + tt, n = tile / perImage, r = tile % perImage;
                    int oy = 2 * (r / tilesX), ox = 2 * (r % tilesX);
                    int at = (((n * cout) + co) * plane) + (oy * ow) + ox;
                    y[at] = y00;
                    if (ox + 1 < ow)
                    {
                        y[at + 1] = y01;
                    }

                    if (oy + 1 < oh)
                    {
                        y[at + ow] = y10;
                        if (ox + 1 < ow)
                        {
                            y[at + ow + 1] = y11;
                        }
                    }
                }
            }
        }
    }
}
