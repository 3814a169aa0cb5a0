using System.Numerics.Tensors;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// Convolution as im2col + <see cref="Gemm.Sgemm"/> (a direct GEMM for 1x1 stride-1 kernels). Images are split
/// into groups; a group of G images is unfolded side by side into one column matrix so that small late-stage
/// feature maps (6x6) still give the GEMM a wide N dimension. Groups are spread over worker slots, each with its
/// own scratch, so the caller provides <see cref="ScratchLength"/> floats once and nothing is allocated per call.
/// </summary>
internal static class Conv2dKernel
{
    /// <summary>GEMM N dimension a group of images aims for.</summary>
    private const int TargetColumns = 512;

    /// <summary>Below this many output pixels per GEMM the forward product is computed transposed.</summary>
    private const int NarrowColumns = 64;

    /// <summary>Output pixels per strip when a single large map is unfolded strip by strip (forward).</summary>
    private const int StripColumns = 256;

    /// <summary>How many images share one GEMM.</summary>
    public static int GroupSize(in ConvGeometry g, int slots)
    {
        if (g.IsPointwise || g.ColumnCols >= TargetColumns)
        {
            return 1;
        }

        // Enough images for ~TargetColumns columns, evened out so that every slot gets the same number of groups.
        int wanted = (TargetColumns + g.ColumnCols - 1) / g.ColumnCols;
        int perSlot = Math.Max(1, (g.Batch + slots - 1) / Math.Max(1, slots));
        int groupsPerSlot = (perSlot + wanted - 1) / wanted;
        return Math.Max(1, (perSlot + groupsPerSlot - 1) / groupsPerSlot);
    }

    /// <summary>Scratch floats one worker slot needs for forward and backward.</summary>
    public static int ScratchPerSlot(in ConvGeometry g, int slots)
    {
        int cols = GroupSize(g, slots) * g.ColumnCols;
        int columnMatrix = g.IsPointwise ? 0 : g.ColumnRows * cols;
        return columnMatrix + (g.OutChannels * cols) + g.WeightLength + g.OutChannels;
    }

    /// <summary>Worker slots used for a geometry: one per thread, never more than there are groups.</summary>
    public static int Slots(in ConvGeometry g)
    {
        int slots = Math.Max(1, Math.Min(ParallelRows.MaxDegreeOfParallelism, g.Batch));
        int groups = (g.Batch + GroupSize(g, slots) - 1) / GroupSize(g, slots);
        return Math.Max(1, Math.Min(slots, groups));
    }

    public static int ScratchLength(in ConvGeometry g)
    {
        int slots = Slots(g);
        return slots * ScratchPerSlot(g, slots);
    }

    /// <summary>
    /// The slots to use with a scratch of a given length: one per thread, or a single slot when the scratch was
    /// sized while fewer threads were allowed (one slot never needs more than any larger slot count).
    /// </summary>
    private static int SlotsFitting(in ConvGeometry g, int scratchLength)
    {
        int slots = Slots(g);
        if ((long)slots * ScratchPerSlot(g, slots) <= scratchLength)
        {
            return slots;
        }

        return ScratchPerSlot(g, 1) <= scratchLength
            ? 1
            : throw new ArgumentException($"Convolution scratch of {scratchLength} floats is smaller than the {ScratchLength(g)} needed for {g}.");
    }

    // x (N,Cin,H,W), w (Cout,Cin,KH,KW), bias (Cout) or null, y (N,Cout,OH,OW) written; relu: y = max(y, 0) fused
    // into the same pass as the bias. scratch: at least ScratchLength(g) floats.
    public static void Forward(float[] x, float[] w, float[]? bias, float[] y, in ConvGeometry g, float[] scratch, bool relu = false) =>
        Forward(x, w, null, bias, y, g, scratch, relu);

    // As above with a per-output-channel scale (Cout) or null applied before the bias, in the same epilogue pass:
    // y = scale·(w ∗ x) + bias. An evaluation-mode BatchNorm folds into exactly this (scale = γ/√(var+eps)), so
    // inference needs neither a BatchNorm pass nor a rescaled copy of the weights.
    public static void Forward(float[] x, float[] w, float[]? scale, float[]? bias, float[] y, in ConvGeometry g, float[] scratch, bool relu)
    {
        int slots = SlotsFitting(g, scratch.Length);
        var op = new ForwardOperation(x, w, scale, bias, y, g, scratch, slots, relu);
        ParallelRows.For(slots, 1, op);
    }

    // x (N,Cin,H,W), w (Cout,Cin,KH,KW), dy (N,Cout,OH,OW); dx (N,Cin,H,W) written (null: not computed);
    // dw (Cout,Cin,KH,KW) and dbias (Cout, or null) accumulated. scratch: at least ScratchLength(g) floats.
    public static void Backward(float[] x, float[] w, float[] dy, float[]? dx, float[] dw, float[]? dbias, in ConvGeometry g, float[] scratch)
    {
        int slots = SlotsFitting(g, scratch.Length);
        var op = new BackwardOperation(x, w, dy, dx, g, scratch, slots);
        ParallelRows.For(slots, 1, op);
        int perSlot = ScratchPerSlot(g, slots);
        int weightOffset = perSlot - g.WeightLength - g.OutChannels;
        for (int s = 0; s < slots; s++)
        {
            int baseOffset = s * perSlot;
            Span<float> dwAll = dw.AsSpan(0, g.WeightLength);
            TensorPrimitives.Add(dwAll, scratch.AsSpan(baseOffset + weightOffset, g.WeightLength), dwAll);
            if (dbias != null)
            {
                Span<float> dbAll = dbias.AsSpan(0, g.OutChannels);
                TensorPrimitives.Add(dbAll, scratch.AsSpan(baseOffset + weightOffset + g.WeightLength, g.OutChannels), dbAll);
            }
        }
    }

    /// <summary>Threads each GEMM may use: all of them when one slot runs alone, else one (the slots already fill the cores).</summary>
    private static int GemmThreads(int slots) => slots > 1 ? 1 : ParallelRows.MaxDegreeOfParallelism;

    private static void Sgemm(int threads, Transpose transA, Transpose transB, int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
        => Gemm.Sgemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, threads, GemmKernelKind.Auto);

    private static (int Start, int End) GroupRange(int groups, int slot, int slots) =>
        ((int)((long)groups * slot / slots), (int)((long)groups * (slot + 1) / slots));

    private readonly struct ForwardOperation(float[] x, float[] w, float[]? scale, float[]? bias, float[] y, ConvGeometry g, float[] scratch, int slots, bool relu)
        : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            int groupSize = GroupSize(g, slots);
            int groups = (g.Batch + groupSize - 1) / groupSize;
            int perSlot = ScratchPerSlot(g, slots);
            for (int slot = start; slot < end; slot++)
            {
                var (gStart, gEnd) = GroupRange(groups, slot, slots);
                for (int group = gStart; group < gEnd; group++)
                {
                    RunGroup(group * groupSize, Math.Min(groupSize, g.Batch - (group * groupSize)), scratch.AsSpan(slot * perSlot, perSlot), groupSize);
                }
            }
        }

        private void RunGroup(int n0, int count, Span<float> slotScratch, int groupSize)
        {
            int inPlane = g.InChannels * g.Height * g.Width;
            int outPixels = g.ColumnCols;
            int outImage = g.OutChannels * outPixels;
            int k = g.ColumnRows;
            if (g.IsPointwise)
            {
                // y[n] (Cout, HW) = w (Cout, Cin) · x[n] (Cin, HW)
                Sgemm(GemmThreads(slots), Transpose.None, Transpose.None, g.OutChannels, outPixels, g.InChannels,
                    w, g.InChannels, x.AsSpan(n0 * inPlane, inPlane), outPixels, y.AsSpan(n0 * outImage, outImage), outPixels, false);
                Epilogue(y.AsSpan(n0 * outImage, outImage), outPixels);
                return;
            }

            int cols = count * outPixels;
            Span<float> col = slotScratch[..(k * groupSize * outPixels)];
            if (count == 1 && outPixels >= 2 * StripColumns)
            {
                // A large map (48x48, 24x24) is done in strips of output rows: each strip's column matrix is
                // unfolded and consumed by the GEMM while it is still in cache.
                int stripRows = Math.Max(1, StripColumns / g.OutWidth);
                Span<float> image = y.AsSpan(n0 * outImage, outImage);
                for (int row = 0; row < g.OutHeight; row += stripRows)
                {
                    int rows = Math.Min(stripRows, g.OutHeight - row);
                    int stripCols = rows * g.OutWidth;
                    Im2Col.Unfold(x.AsSpan(n0 * inPlane, inPlane), col, 0, stripCols, g, row, rows);
                    Sgemm(GemmThreads(slots), Transpose.None, Transpose.None, g.OutChannels, stripCols, k, w, k, col, stripCols,
                        image[(row * g.OutWidth)..], outPixels, false);
                }

                Epilogue(image, outPixels);
                return;
            }

            for (int i = 0; i < count; i++)
            {
                Im2Col.Unfold(x.AsSpan((n0 + i) * inPlane, inPlane), col, i * outPixels, cols, g);
            }

            if (count == 1 && cols < NarrowColumns)
            {
                // Few output pixels (6x6 maps at batch 1): the product is computed transposed, yᵀ (OH·OW, Cout) =
                // colᵀ · wᵀ, so that the GEMM's wide register tile runs along Cout instead of mostly padding.
                Span<float> transposed = slotScratch.Slice(k * groupSize * outPixels, g.OutChannels * cols);
                Sgemm(GemmThreads(slots), Transpose.Transposed, Transpose.Transposed, cols, g.OutChannels, k, col, cols, w, k, transposed, g.OutChannels, false);
                Span<float> image = y.AsSpan(n0 * outImage, outImage);
                for (int co = 0; co < g.OutChannels; co++)
                {
                    Span<float> row = image.Slice(co * outPixels, outPixels);
                    for (int pixel = 0; pixel < outPixels; pixel++)
                    {
                        row[pixel] = transposed[(pixel * g.OutChannels) + co];
                    }
                }

                Epilogue(image, outPixels);
                return;
            }

            if (count == 1)
            {
                Span<float> target = y.AsSpan(n0 * outImage, outImage);
                Sgemm(GemmThreads(slots), Transpose.None, Transpose.None, g.OutChannels, cols, k, w, k, col, cols, target, cols, false);
                Epilogue(target, outPixels);
                return;
            }

            // Several images in one GEMM: the result is (Cout, G·OH·OW) and is scattered back to (G, Cout, OH·OW).
            Span<float> product = slotScratch.Slice(k * groupSize * outPixels, g.OutChannels * cols);
            Sgemm(GemmThreads(slots), Transpose.None, Transpose.None, g.OutChannels, cols, k, w, k, col, cols, product, cols, false);
            for (int i = 0; i < count; i++)
            {
                Span<float> image = y.AsSpan((n0 + i) * outImage, outImage);
                for (int co = 0; co < g.OutChannels; co++)
                {
                    product.Slice((co * cols) + (i * outPixels), outPixels).CopyTo(image.Slice(co * outPixels, outPixels));
                }

                Epilogue(image, outPixels);
            }
        }

        // image (Cout, OH·OW): · scale + bias per channel, then ReLU, in one pass per row.
        private void Epilogue(Span<float> image, int outPixels)
        {
            if (scale == null && bias == null && !relu)
            {
                return;
            }

            for (int co = 0; co < g.OutChannels; co++)
            {
                Span<float> row = image.Slice(co * outPixels, outPixels);
                ActivationKernels.ScaleShift(row, scale == null ? 1f : scale[co], bias == null ? 0f : bias[co], row, relu);
            }
        }
    }

    private readonly struct BackwardOperation(float[] x, float[] w, float[] dy, float[]? dx, ConvGeometry g, float[] scratch, int slots)
        : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            int groupSize = GroupSize(g, slots);
            int groups = (g.Batch + groupSize - 1) / groupSize;
            int perSlot = ScratchPerSlot(g, slots);
            int weightOffset = perSlot - g.WeightLength - g.OutChannels;
            for (int slot = start; slot < end; slot++)
            {
                Span<float> slotScratch = scratch.AsSpan(slot * perSlot, perSlot);
                slotScratch.Slice(weightOffset, g.WeightLength + g.OutChannels).Clear();
                var (gStart, gEnd) = GroupRange(groups, slot, slots);
                for (int group = gStart; group < gEnd; group++)
                {
                    RunGroup(group * groupSize, Math.Min(groupSize, g.Batch - (group * groupSize)), slotScratch, groupSize, weightOffset);
                }
            }
        }

        private void RunGroup(int n0, int count, Span<float> slotScratch, int groupSize, int weightOffset)
        {
            int inPlane = g.InChannels * g.Height * g.Width;
            int outPixels = g.ColumnCols;
            int outImage = g.OutChannels * outPixels;
            int k = g.ColumnRows;
            Span<float> dwPart = slotScratch.Slice(weightOffset, g.WeightLength);
            Span<float> dbPart = slotScratch.Slice(weightOffset + g.WeightLength, g.OutChannels);
            if (g.IsPointwise)
            {
                ReadOnlySpan<float> dyImage = dy.AsSpan(n0 * outImage, outImage);
                ReadOnlySpan<float> xImage = x.AsSpan(n0 * inPlane, inPlane);
                AddRowSums(dyImage, outPixels, dbPart);
                // dw (Cout, Cin) += dy[n] (Cout, HW) · x[n]^T (HW, Cin)
                Sgemm(GemmThreads(slots), Transpose.None, Transpose.Transposed, g.OutChannels, g.InChannels, outPixels, dyImage, outPixels, xImage, outPixels, dwPart, g.InChannels, true);
                if (dx != null)
                {
                    // dx[n] (Cin, HW) = w^T (Cin, Cout) · dy[n] (Cout, HW)
                    Sgemm(GemmThreads(slots), Transpose.Transposed, Transpose.None, g.InChannels, outPixels, g.OutChannels, w, g.InChannels, dyImage, outPixels, dx.AsSpan(n0 * inPlane, inPlane), outPixels, false);
                }

                return;
            }

            int cols = count * outPixels;
            Span<float> col = slotScratch[..(k * cols)];
            ReadOnlySpan<float> dyGroup;
            if (count == 1)
            {
                dyGroup = dy.AsSpan(n0 * outImage, outImage);
            }
            else
            {
                // Gather (G, Cout, OH·OW) into (Cout, G·OH·OW), the layout the forward GEMM produced.
                Span<float> gathered = slotScratch.Slice(k * groupSize * outPixels, g.OutChannels * cols);
                for (int i = 0; i < count; i++)
                {
                    for (int co = 0; co < g.OutChannels; co++)
                    {
                        dy.AsSpan(((n0 + i) * outImage) + (co * outPixels), outPixels).CopyTo(gathered.Slice((co * cols) + (i * outPixels), outPixels));
                    }
                }

                dyGroup = gathered;
            }

            AddRowSums(dyGroup, cols, dbPart);
            for (int i = 0; i < count; i++)
            {
                Im2Col.Unfold(x.AsSpan((n0 + i) * inPlane, inPlane), col, i * outPixels, cols, g);
            }

            // dw (Cout, K) += dy (Cout, cols) · col^T (cols, K)
            Sgemm(GemmThreads(slots), Transpose.None, Transpose.Transposed, g.OutChannels, k, cols, dyGroup, cols, col, cols, dwPart, k, true);
            if (dx == null)
            {
                return;
            }

            // dcol (K, cols) = w^T (K, Cout) · dy (Cout, cols), written over the column matrix, then folded back.
            Sgemm(GemmThreads(slots), Transpose.Transposed, Transpose.None, k, cols, g.OutChannels, w, k, dyGroup, cols, col, cols, false);
            for (int i = 0; i < count; i++)
            {
                Span<float> dxImage = dx.AsSpan((n0 + i) * inPlane, inPlane);
                dxImage.Clear();
                Im2Col.FoldAdd(col, i * outPixels, cols, dxImage, g);
            }
        }

        private static void AddRowSums(ReadOnlySpan<float> rows, int rowLength, Span<float> sums)
        {
            for (int r = 0; r < sums.Length; r++)
            {
                sums[r] += TensorPrimitives.Sum(rows.Slice(r * rowLength, rowLength));
            }
        }
    }
}
