using Facemoji.Engine.Kernels;
using Facemoji.Engine.Randomness;
using Xunit.Abstractions;

namespace Facemoji.Engine.Tests.Kernels;

[Trait("Category", "Kernels")]
public class GemmTests(ITestOutputHelper output)
{
    private static readonly Transpose[] Transposes = [Transpose.None, Transpose.Transposed];

    // m, n, k: tiny, odd, and straddling the tile sizes (MR 4/6/8, NR 4/8/16/32) and the depth block (KC 256).
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 },
        { 1, 37, 1 },
        { 37, 1, 3 },
        { 7, 13, 5 },
        { 17, 33, 65 },
        { 8, 32, 16 },
        { 9, 33, 17 },
        { 6, 16, 255 },
        { 5, 15, 256 },
        { 13, 31, 257 },
        { 25, 70, 513 },
        { 130, 66, 40 },
        { 3, 200, 9 },
    };

    private static readonly GemmKernelKind[] AllKernels =
    [
        GemmKernelKind.Auto, GemmKernelKind.Vector512, GemmKernelKind.Vector256, GemmKernelKind.Vector128, GemmKernelKind.Scalar,
    ];

    public static TheoryData<GemmKernelKind> Kernels => new(AllKernels);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryKernelMatchesReference(int m, int n, int k)
    {
        double worst = 0;
        foreach (GemmKernelKind kernel in AllKernels)
        {
            if (!Gemm.IsSupported(kernel))
            {
                continue;
            }

            foreach (Transpose transA in Transposes)
            {
                foreach (Transpose transB in Transposes)
                {
                    foreach (bool accumulate in new[] { false, true })
                    {
                        foreach (int threads in new[] { 1, 2 })
                        {
                            worst = Math.Max(worst, CompareWithReference(kernel, transA, transB, m, n, k, accumulate, threads, seed: (ulong)(m * 1000 + n * 10 + k)));
                        }
                    }
                }
            }
        }

        output.WriteLine($"{m}x{n}x{k}: largest error / tolerance = {worst:F4} (kernels run: {string.Join(", ", AllKernels.Where(Gemm.IsSupported))}; Auto = {Gemm.BestKernel})");
    }

    [Fact]
    public void LargeProductOnTwoThreadsMatchesReference()
    {
        double worst = 0;
        foreach (Transpose transA in Transposes)
        {
            foreach (Transpose transB in Transposes)
            {
                worst = Math.Max(worst, CompareWithReference(GemmKernelKind.Auto, transA, transB, 150, 290, 300, accumulate: true, threads: 2, seed: 7));
            }
        }

        output.WriteLine($"150x290x300: largest error / tolerance = {worst:F4}");
    }

    [Fact]
    public void UnsupportedKernelsStillComputeTheRightResult()
    {
        // Vector types fall back to software where the hardware lacks them; slow, but never wrong.
        foreach (GemmKernelKind kernel in AllKernels)
        {
            CompareWithReference(kernel, Transpose.None, Transpose.Transposed, 7, 13, 5, accumulate: true, threads: 1, seed: 3);
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void ZeroDepthClearsOrKeepsC(GemmKernelKind kernel)
    {
        float[] c = [1, 2, 3, 4, 5, 6];
        Gemm.Sgemm(Transpose.None, Transpose.None, 2, 3, 0, [], 0, [], 3, c, 3, accumulate: true, 2, kernel);
        c.Should().Equal(1, 2, 3, 4, 5, 6);
        Gemm.Sgemm(Transpose.None, Transpose.None, 2, 3, 0, [], 0, [], 3, c, 3, accumulate: false, 2, kernel);
        c.Should().AllBeEquivalentTo(0f);
    }

    [Fact]
    public void EmptyOutputTouchesNothing()
    {
        float[] c = [9];
        Gemm.Sgemm(Transpose.None, Transpose.None, 0, 1, 4, [], 4, new float[4], 1, c, 1, accumulate: false);
        Gemm.Sgemm(Transpose.None, Transpose.None, 1, 0, 4, new float[4], 4, [], 0, c, 0, accumulate: false);
        c.Should().Equal(9f);
    }

    [Fact]
    public void RejectsOperandsThatDoNotFit()
    {
        float[] buffer = new float[12];
        var tooShortA = () => Gemm.Sgemm(Transpose.None, Transpose.None, 3, 3, 4, new float[11], 4, buffer, 3, buffer, 3, false);
        tooShortA.Should().Throw<ArgumentException>().WithMessage("*a:*");
        var smallLdb = () => Gemm.Sgemm(Transpose.None, Transpose.Transposed, 3, 3, 4, buffer, 4, buffer, 3, buffer, 3, false);
        smallLdb.Should().Throw<ArgumentException>().WithMessage("*b: leading dimension 3*");
        var tooShortC = () => Gemm.Sgemm(Transpose.None, Transpose.None, 3, 4, 3, buffer, 3, buffer, 4, new float[11], 4, false);
        tooShortC.Should().Throw<ArgumentException>().WithMessage("*c:*");
        var negative = () => Gemm.Sgemm(Transpose.None, Transpose.None, -1, 3, 3, buffer, 3, buffer, 3, buffer, 3, false);
        negative.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void SteadyStateCallsDoNotAllocate()
    {
        const int m = 70, n = 90, k = 300;
        float[] a = RandomArray(m * k, 1), b = RandomArray(k * n, 2), c = new float[m * n];
        foreach (Transpose transA in Transposes)
        {
            foreach (Transpose transB in Transposes)
            {
                // The first call sizes this thread's packing buffers; later calls reuse them.
                Gemm.Sgemm(transA, transB, m, n, k, a, transA == Transpose.None ? k : m, b, transB == Transpose.None ? n : k, c, n, false, 1, GemmKernelKind.Auto);
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int repeat = 0; repeat < 3; repeat++)
                {
                    Gemm.Sgemm(transA, transB, m, n, k, a, transA == Transpose.None ? k : m, b, transB == Transpose.None ? n : k, c, n, true, 1, GemmKernelKind.Auto);
                }

                (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0, $"{transA}/{transB} steady-state calls must reuse the packing buffers");
            }
        }
    }

    [Fact]
    public void SplitGridUsesEveryThreadForSmallRowCounts()
    {
        // 32 output channels (4 tiles of 8 rows) by a huge N: both threads split the columns.
        Gemm.SplitGrid(2, 4, 4608).Should().Be((1, 2));
        // A single column panel: the rows are split instead.
        Gemm.SplitGrid(2, 4, 1).Should().Be((2, 1));
        Gemm.SplitGrid(2, 1, 1).Should().Be((1, 1));
        Gemm.SplitGrid(4, 2, 2).Should().Be((2, 2));
    }

    // Returns the largest |ours - reference| / tolerance; fails when it exceeds 1.
    private static double CompareWithReference(
        GemmKernelKind kernel, Transpose transA, Transpose transB, int m, int n, int k, bool accumulate, int threads, ulong seed)
    {
        // Stored shapes, with leading dimensions larger than the row length and spans longer than needed.
        int aRows = transA == Transpose.None ? m : k, aColumns = transA == Transpose.None ? k : m;
        int bRows = transB == Transpose.None ? k : n, bColumns = transB == Transpose.None ? n : k;
        int lda = aColumns + 3, ldb = bColumns + 5, ldc = n + 2;
        float[] a = RandomArray(aRows * lda + 7, seed);
        float[] b = RandomArray(bRows * ldb + 4, seed + 1);
        float[] c = RandomArray(m * ldc + 9, seed + 2);
        float[] expected = (float[])c.Clone();

        Gemm.Sgemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, threads, kernel);
        GemmReference.Sgemm(transA, transB, m, n, k, a, lda, b, ldb, expected, ldc, accumulate);

        // Tolerance per element: sqrt(k) float roundings of the magnitude sum |a|·|b| (+ |c|).
        float[] magnitude = expected.Select(_ => 0f).ToArray();
        float[] absA = a.Select(Math.Abs).ToArray(), absB = b.Select(Math.Abs).ToArray();
        GemmReference.Sgemm(transA, transB, m, n, k, absA, lda, absB, ldb, magnitude, ldc, accumulate: false);
        double worst = 0;
        for (int index = 0; index < c.Length; index++)
        {
            int row = index / ldc, column = index % ldc;
            bool inside = row < m && column < n;
            if (!inside)
            {
                c[index].Should().Be(expected[index], $"element {index} lies outside C and must stay untouched ({kernel}, {m}x{n}x{k})");
                continue;
            }

            double scale = magnitude[index] + (accumulate ? Math.Abs(expected[index]) : 0) + 1e-30;
            double tolerance = 2 * Math.Sqrt(k + 1) * 5.96e-8 * scale;
            double ratio = Math.Abs(c[index] - expected[index]) / tolerance;
            worst = Math.Max(worst, ratio);
            ratio.Should().BeLessThanOrEqualTo(1, $"C[{row},{column}] = {c[index]} vs {expected[index]} ({kernel}, {transA}/{transB}, {m}x{n}x{k}, accumulate {accumulate}, {threads} threads)");
        }

        return worst;
    }

    private static float[] RandomArray(int length, ulong seed)
    {
        var random = new SeededRandom(seed);
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextFloat(-1f, 1f);
        }

        return values;
    }
}
