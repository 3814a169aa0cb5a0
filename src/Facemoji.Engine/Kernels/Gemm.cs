using System.Numerics.Tensors;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// Single-precision matrix multiply, row-major, in the GotoBLAS / BLIS style: cache-blocked loops
/// (<see cref="GemmDriver{TKernel}"/>), A and B packed into panels, and a register-blocked micro-kernel chosen at
/// run time (AVX-512 8x32, AVX2 6x16, 128-bit 4x8 or scalar 4x4). Threads take rectangles of C through
/// <see cref="ParallelRows"/>; called from inside a ParallelRows loop body (e.g. per image of a convolution) it
/// runs on the calling thread only. Tiny products, and a few long dot products (N &lt; 8 with B transposed), skip
/// packing. Packing buffers live per thread, so steady-state calls do not allocate on one thread (a
/// multi-threaded call allocates the few hundred bytes of the ParallelRows hand-off). C must not overlap A or B.
/// </summary>
public static unsafe class Gemm
{
    // Products of at most this many multiply-adds take the direct loop: packing would cost more than it saves.
    private const long DirectLoopLimit = 16 * 16 * 16;

    // Each thread gets at least this many multiply-adds (about 5 µs of AVX-512 work), because handing work to a
    // pool thread costs microseconds.
    private const long MinimumMultiplyAddsPerThread = 1L << 19;

    /// <summary>The kernel that <see cref="GemmKernelKind.Auto"/> runs on this machine.</summary>
    public static GemmKernelKind BestKernel { get; } =
        default(GemmVector512MicroKernel).IsSupported ? GemmKernelKind.Vector512
        : default(GemmVector256MicroKernel).IsSupported ? GemmKernelKind.Vector256
        : default(GemmVector128MicroKernel).IsSupported ? GemmKernelKind.Vector128
        : GemmKernelKind.Scalar;

    /// <summary>Whether <paramref name="kernel"/> runs in hardware here (Auto and Scalar always do).</summary>
    public static bool IsSupported(GemmKernelKind kernel) => kernel switch
    {
        GemmKernelKind.Auto or GemmKernelKind.Scalar => true,
        GemmKernelKind.Vector512 => default(GemmVector512MicroKernel).IsSupported,
        GemmKernelKind.Vector256 => default(GemmVector256MicroKernel).IsSupported,
        GemmKernelKind.Vector128 => default(GemmVector128MicroKernel).IsSupported,
        _ => false,
    };

    // C (m,n) = op(A) (m,k) · op(B) (k,n) [+ C when accumulate]; same contract as GemmReference.Sgemm.
    // A is (m,k) with row stride lda, or (k,m) when transA; B is (k,n) with row stride ldb, or (n,k) when transB.
    // Uses up to ParallelRows.MaxDegreeOfParallelism threads.
    public static void Sgemm(
        Transpose transA, Transpose transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate)
        => Sgemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, ParallelRows.MaxDegreeOfParallelism, GemmKernelKind.Auto);

    /// <summary>
    /// As the plain overload, on at most <paramref name="maxThreads"/> threads (and never more than
    /// <see cref="ParallelRows.MaxDegreeOfParallelism"/>) with the given micro-kernel. An explicit kernel always
    /// takes the packed path and uses every thread it is given, even for tiny products (tests and benchmarks use
    /// this to cover every kernel's edge tiles and thread splits); a kernel this CPU does not support still
    /// computes the right result, slowly, through the software fallback of the vector types.
    /// </summary>
    public static void Sgemm(
        Transpose transA, Transpose transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate, int maxThreads, GemmKernelKind kernel)
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxThreads, 1);
        if (m == 0 || n == 0)
        {
            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            var problem = new GemmProblem(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
            if (k == 0)
            {
                ClearUnlessAccumulating(problem);
                return;
            }

            if (kernel == GemmKernelKind.Auto && ((long)m * n * k <= DirectLoopLimit || IsFewDotProducts(problem)))
            {
                DirectLoop(problem);
                return;
            }

            int threads = Math.Min(maxThreads, ParallelRows.MaxDegreeOfParallelism);
            if (kernel == GemmKernelKind.Auto)
            {
                threads = (int)Math.Clamp((long)m * n * k / MinimumMultiplyAddsPerThread, 1, threads);
            }

            switch (kernel == GemmKernelKind.Auto ? BestKernel : kernel)
            {
                case GemmKernelKind.Vector512:
                    RunParallel<GemmVector512MicroKernel>(problem, threads);
                    break;
                case GemmKernelKind.Vector256:
                    RunParallel<GemmVector256MicroKernel>(problem, threads);
                    break;
                case GemmKernelKind.Vector128:
                    RunParallel<GemmVector128MicroKernel>(problem, threads);
                    break;
                case GemmKernelKind.Scalar:
                    RunParallel<GemmScalarMicroKernel>(problem, threads);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "unknown GEMM kernel");
            }
        }
    }

    private static void RunParallel<TKernel>(in GemmProblem problem, int threads)
        where TKernel : struct, IGemmMicroKernel
    {
        TKernel kernel = default;
        int rowPanels = (problem.M + kernel.Rows - 1) / kernel.Rows;
        int columnPanels = (problem.N + kernel.Columns - 1) / kernel.Columns;
        (int rowParts, int columnParts) = ChooseParts(problem, threads, rowPanels, columnPanels);
        int parts = rowParts * columnParts;
        int nextPart = 0;
        var operation = new GemmPartitionOperation<TKernel>(problem, rowPanels, columnPanels, rowParts, columnParts, &nextPart);
        if (parts == 1 || threads == 1)
        {
            operation.Invoke(0, 1);
        }
        else
        {
            // One loop per thread; each takes rectangles from the shared counter until none is left.
            ParallelRows.For(Math.Min(threads, parts), 1, operation);
        }
    }

    /// <summary>
    /// How many rectangles to cut C into. One per thread packs the least, but a thread slowed down by other work
    /// on the machine then holds everyone up; so where the extra packing is cheap (under 3% of the multiply, e.g.
    /// small M with huge N, where each rectangle re-packs only the small A) C is cut into 2 or 4 rectangles per
    /// thread, which the threads take as they become free.
    /// </summary>
    internal static (int RowParts, int ColumnParts) ChooseParts(in GemmProblem problem, int threads, int rowPanels, int columnPanels)
    {
        (int, int) best = SplitGrid(threads, rowPanels, columnPanels);
        if (threads == 1)
        {
            return best;
        }

        // A packed float costs about as much as 16 multiply-adds of the AVX-512 kernel.
        const double PackedFloatInMultiplyAdds = 16;
        double multiplyAdds = (double)problem.M * problem.N * problem.K;
        foreach (int perThread in (ReadOnlySpan<int>)[4, 2])
        {
            (int rowParts, int columnParts) = SplitGrid(threads * perThread, rowPanels, columnPanels);
            double packedFloats = (double)columnParts * problem.M * problem.K + (double)rowParts * problem.K * problem.N;
            double basePacked = (double)best.Item2 * problem.M * problem.K + (double)best.Item1 * problem.K * problem.N;
            if (rowParts * columnParts > threads && (packedFloats - basePacked) * PackedFloatInMultiplyAdds < 0.03 * multiplyAdds)
            {
                return (rowParts, columnParts);
            }
        }

        return best;
    }

    /// <summary>
    /// Splits the rowPanels x columnPanels tiles of C into rowParts x columnParts rectangles, one per thread,
    /// minimising the largest rectangle; ties prefer splitting columns (each thread then packs only its own
    /// part of B, which is the big operand in the convolution shapes: small M, huge N).
    /// </summary>
    internal static (int RowParts, int ColumnParts) SplitGrid(int threads, int rowPanels, int columnPanels)
    {
        threads = Math.Max(1, Math.Min(threads, rowPanels * columnPanels));
        (int rows, int columns) best = (1, 1);
        long bestLargest = long.MaxValue;
        for (int rowParts = 1; rowParts <= threads; rowParts++)
        {
            if (threads % rowParts != 0 || rowParts > rowPanels)
            {
                continue;
            }

            int columnParts = threads / rowParts;
            if (columnParts > columnPanels)
            {
                continue;
            }

            long largest = (long)((rowPanels + rowParts - 1) / rowParts) * ((columnPanels + columnParts - 1) / columnParts);
            if (largest < bestLargest)
            {
                bestLargest = largest;
                best = (rowParts, columnParts);
            }
        }

        return best;
    }

    // A few long dot products (C narrower than any tile, A and B both read along k, e.g. the weight gradient
    // of a one-channel convolution, 32x9 with k = 147456): padding to 32-column tiles would waste most of the work,
    // while each dot product streams two contiguous rows.
    private static bool IsFewDotProducts(in GemmProblem problem) =>
        problem.TransA == Transpose.None && problem.TransB == Transpose.Transposed && problem.N < 8 && problem.K >= 64;

    // c (m,n) = 0 unless accumulating: the k = 0 product
    private static void ClearUnlessAccumulating(in GemmProblem problem)
    {
        if (problem.Accumulate)
        {
            return;
        }

        for (int i = 0; i < problem.M; i++)
        {
            new Span<float>(problem.C + (nint)i * problem.Ldc, problem.N).Clear();
        }
    }

    // c (m,n) = op(a) (m,k) · op(b) (k,n) [+ c]: no packing, for tiny products
    private static void DirectLoop(in GemmProblem problem)
    {
        int m = problem.M, n = problem.N, k = problem.K;
        nint lda = problem.Lda, ldb = problem.Ldb, ldc = problem.Ldc;
        for (int i = 0; i < m; i++)
        {
            var cRow = new Span<float>(problem.C + i * ldc, n);
            if (problem.TransB == Transpose.None)
            {
                // Row i of C is a sum of rows of B: axpy per depth step.
                if (!problem.Accumulate)
                {
                    cRow.Clear();
                }

                for (int p = 0; p < k; p++)
                {
                    float aip = problem.TransA == Transpose.None ? problem.A[i * lda + p] : problem.A[p * lda + i];
                    var bRow = new ReadOnlySpan<float>(problem.B + p * ldb, n);
                    TensorPrimitives.MultiplyAdd(bRow, aip, cRow, cRow);
                }
            }
            else
            {
                // B stored (n,k): each C element is a dot product of an A row with a B row.
                for (int j = 0; j < n; j++)
                {
                    float* bRow = problem.B + j * ldb;
                    float sum = 0f;
                    if (problem.TransA == Transpose.None)
                    {
                        sum = TensorPrimitives.Dot(new ReadOnlySpan<float>(problem.A + i * lda, k), new ReadOnlySpan<float>(bRow, k));
                    }
                    else
                    {
                        for (int p = 0; p < k; p++)
                        {
                            sum += problem.A[p * lda + i] * bRow[p];
                        }
                    }

                    cRow[j] = problem.Accumulate ? cRow[j] + sum : sum;
                }
            }
        }
    }

    private static void Validate(
        Transpose transA, Transpose transB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckOperand("a", transA == Transpose.None ? m : k, transA == Transpose.None ? k : m, aLength, lda);
        CheckOperand("b", transB == Transpose.None ? k : n, transB == Transpose.None ? n : k, bLength, ldb);
        CheckOperand("c", m, n, cLength, ldc);
    }

    // A stored (rows, columns) with row stride ld must fit in length floats.
    private static void CheckOperand(string name, int rows, int columns, int length, int ld)
    {
        if (ld < columns || ld < 0)
        {
            throw new ArgumentException($"{name}: leading dimension {ld} is less than the row length {columns}", name);
        }

        if (rows > 0 && columns > 0 && length < (long)(rows - 1) * ld + columns)
        {
            throw new ArgumentException(
                $"{name}: {length} floats cannot hold {rows}x{columns} with leading dimension {ld}", name);
        }
    }
}
