using System.Runtime.CompilerServices;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// The GotoBLAS / BLIS loop nest around one micro-kernel, for one rectangle of C (one thread's share):
/// <code>
/// for jc in steps of NC:                     columns of C and B
///   for pc in steps of KC:                   depth; pack B (KC x NC) into NR-column panels
///     for ic in steps of MC:                 rows; pack A (MC x KC) into MR-row panels
///       for jr in steps of NR: for ir in steps of MR: micro-kernel on one MR x NR tile
/// </code>
/// Packing reads A and B in whichever orientation they are stored, so all four transpose combinations feed
/// the same kernel. Edge tiles run the kernel into a scratch tile and copy the valid part.
/// </summary>
internal static unsafe class GemmDriver<TKernel>
    where TKernel : struct, IGemmMicroKernel
{
    /// <summary>KC, MC, NC in use: the kernel's tuned values; mutable only so that a tuning run can try others.</summary>
    internal static (int Depth, int Rows, int Columns) Blocking = (default(TKernel).DepthBlock, default(TKernel).RowBlock, default(TKernel).ColumnBlock);

    // C[rowStart..rowEnd, colStart..colEnd) of the problem; rowStart a multiple of MR, colStart of NR.
    public static void Run(in GemmProblem problem, int rowStart, int rowEnd, int colStart, int colEnd)
    {
        TKernel kernel = default;
        int mrTile = kernel.Rows;
        int nrTile = kernel.Columns;
        (int kcBlock, int mcBlock, int ncBlock) = Blocking;
        int k = problem.K;

        GemmWorkspace workspace = GemmWorkspace.Current;
        // Equal depth blocks (288 = 1 x 288 rather than 256 + 32): a thin last block would pay the C update
        // of a whole block for little work. Rounded to 8 for the 8x8 transposes of packing.
        int depthBlocks = (k + kcBlock - 1) / kcBlock;
        int kcMax = Math.Min(k, RoundUp((k + depthBlocks - 1) / depthBlocks, 8));
        kcBlock = kcMax;
        float* packedA = workspace.PackedA((nint)RoundUp(Math.Min(mcBlock, rowEnd - rowStart), mrTile) * kcMax);
        float* packedB = workspace.PackedB((nint)RoundUp(Math.Min(ncBlock, colEnd - colStart), nrTile) * kcMax);
        float* tile = workspace.Tile(mrTile * nrTile);
        nint ldc = problem.Ldc;

        // A packed block is reused while (ic, pc) stays the same: with small M and K (a convolution's weights)
        // the whole of A is packed once rather than once per NC block of columns.
        int packedIc = -1, packedPc = -1;
        for (int jc = colStart; jc < colEnd; jc += ncBlock)
        {
            int nc = Math.Min(ncBlock, colEnd - jc);
            for (int pc = 0; pc < k; pc += kcBlock)
            {
                int kc = Math.Min(kcBlock, k - pc);
                bool accumulate = pc > 0 || problem.Accumulate;
                PackB(problem, pc, kc, jc, nc, packedB);
                for (int ic = rowStart; ic < rowEnd; ic += mcBlock)
                {
                    int mc = Math.Min(mcBlock, rowEnd - ic);
                    if (ic != packedIc || pc != packedPc)
                    {
                        PackA(problem, ic, mc, pc, kc, packedA);
                        (packedIc, packedPc) = (ic, pc);
                    }

                    for (int jr = 0; jr < nc; jr += nrTile)
                    {
                        int nr = Math.Min(nrTile, nc - jr);
                        float* panelB = packedB + (nint)jr * kc;
                        for (int ir = 0; ir < mc; ir += mrTile)
                        {
                            int mr = Math.Min(mrTile, mc - ir);
                            float* panelA = packedA + (nint)ir * kc;
                            float* cTile = problem.C + (ic + ir) * ldc + jc + jr;
                            if (mr == mrTile && nr == nrTile)
                            {
                                kernel.Run(kc, panelA, panelB, cTile, ldc, accumulate);
                            }
                            else
                            {
                                kernel.Run(kc, panelA, panelB, tile, nrTile, accumulate: false);
                                MergeEdgeTile(tile, nrTile, cTile, ldc, mr, nr, accumulate);
                            }
                        }
                    }
                }
            }
        }
    }

    // packedA (mc/MR panels, kc, MR) <- op(A)[ic..ic+mc, pc..pc+kc), zero-padded to whole panels
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(in GemmProblem problem, int ic, int mc, int pc, int kc, float* packedA)
    {
        int mrTile = default(TKernel).Rows;
        nint lda = problem.Lda;
        for (int ip = 0; ip < mc; ip += mrTile)
        {
            int mr = Math.Min(mrTile, mc - ip);
            float* dst = packedA + (nint)ip * kc;
            if (problem.TransA == Transpose.None)
            {
                // Row i of the panel is contiguous in A.
                GemmPanelTranspose.Pack(problem.A + (ic + ip) * lda + pc, lda, mr, mrTile, kc, dst);
            }
            else
            {
                // A stored (k,m): each depth step of the panel is MR contiguous floats.
                float* src = problem.A + pc * lda + ic + ip;
                if (mr == mrTile)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        Unsafe.CopyBlockUnaligned(dst + p * mrTile, src + p * lda, (uint)(mrTile * sizeof(float)));
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        for (int i = 0; i < mr; i++)
                        {
                            dst[p * mrTile + i] = src[p * lda + i];
                        }
                    }

                    ZeroPadding(dst, kc, mrTile, mr);
                }
            }
        }
    }

    // packedB (nc/NR panels, kc, NR) <- op(B)[pc..pc+kc, jc..jc+nc), zero-padded to whole panels
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(in GemmProblem problem, int pc, int kc, int jc, int nc, float* packedB)
    {
        int nrTile = default(TKernel).Columns;
        nint ldb = problem.Ldb;
        int wholePanels = 0;
        if (problem.TransB == Transpose.None)
        {
            // B stored (k,n): each depth step of a panel is NR contiguous floats. The whole panels go 8 depth steps
            // at a time across all panels, so that B is read as 8 sequential row streams (one panel at a time
            // would touch one cache line per row of B, rows often a page apart) and each panel is written in
            // runs of 8 x NR floats.
            wholePanels = nc / nrTile * nrTile;
            float* src = problem.B + pc * ldb + jc;
            for (int p0 = 0; p0 < kc; p0 += 8)
            {
                int steps = Math.Min(8, kc - p0);
                for (int jp = 0; jp < wholePanels; jp += nrTile)
                {
                    float* dst = packedB + (nint)jp * kc + p0 * nrTile;
                    float* from = src + p0 * ldb + jp;
                    for (int p = 0; p < steps; p++)
                    {
                        Unsafe.CopyBlockUnaligned(dst + p * nrTile, from + p * ldb, (uint)(nrTile * sizeof(float)));
                    }
                }
            }
        }

        for (int jp = wholePanels; jp < nc; jp += nrTile)
        {
            int nr = Math.Min(nrTile, nc - jp);
            float* dst = packedB + (nint)jp * kc;
            if (problem.TransB == Transpose.None)
            {
                // The last, partial panel.
                float* src = problem.B + pc * ldb + jc + jp;
                for (int p = 0; p < kc; p++)
                {
                    for (int j = 0; j < nr; j++)
                    {
                        dst[p * nrTile + j] = src[p * ldb + j];
                    }
                }

                ZeroPadding(dst, kc, nrTile, nr);
            }
            else
            {
                // B stored (n,k): column j of the panel is contiguous in B.
                GemmPanelTranspose.Pack(problem.B + (jc + jp) * ldb + pc, ldb, nr, nrTile, kc, dst);
            }
        }
    }

    // panel (kc, width): zero the lanes [used, width) of every depth step
    private static void ZeroPadding(float* panel, int kc, int width, int used)
    {
        if (used == width)
        {
            return;
        }

        for (int p = 0; p < kc; p++)
        {
            new Span<float>(panel + p * width + used, width - used).Clear();
        }
    }

    // c (mr,nr) row stride ldc = [c +] tile (mr,nr) row stride tileStride
    private static void MergeEdgeTile(float* tile, nint tileStride, float* c, nint ldc, int mr, int nr, bool accumulate)
    {
        for (int i = 0; i < mr; i++)
        {
            float* tileRow = tile + i * tileStride;
            float* cRow = c + i * ldc;
            for (int j = 0; j < nr; j++)
            {
                cRow[j] = accumulate ? cRow[j] + tileRow[j] : tileRow[j];
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
