using Facemoji.Engine.Kernels;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tests.Support;
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
        { 9, 1500, 40 }, // small M, wide N: cut into more rectangles than threads
        { 13, 5, 300 }, // narrow N, long k: Auto takes dot products when B is transposed
        { 3, 7, 70 },
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
        GemmKernelKind[] kernels = AllKernels.Where(Gemm.IsSupported).ToArray();
        var worst = new ErrorSummary();
        foreach (Transpose transA in Transposes)
        {
            foreach (Transpose transB in Transposes)
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    worst = worst.Max(CompareWithReference(kernels, [1, 2], transA, transB, m, n, k, accumulate, seed: (ulong)(m * 1000 + n * 10 + k)));
                }
            }
        }

        output.WriteLine($"{m}x{n}x{k}: {worst} (kernels run: {string.Join(", ", kernels)}; Auto = {Gemm.BestKernel})");
    }

    [Fact]
    public void LargeProductOnTwoThreadsMatchesReference()
    {
        var worst = new ErrorSummary();
        foreach (Transpose transA in Transposes)
        {
            foreach (Transpose transB in Transposes)
            {
                worst = worst.Max(CompareWithReference([GemmKernelKind.Auto], [2], transA, transB, 150, 290, 300, accumulate: true, seed: 7));
            }
        }

        output.WriteLine($"150x290x300: {worst}");
    }

    [Fact]
    public void UnsupportedKernelsStillComputeTheRightResult()
    {
        // Vector types fall back to software where the hardware lacks them; slow, but never wrong.
        CompareWithReference(AllKernels, [1], Transpose.None, Transpose.Transposed, 7, 13, 5, accumulate: true, seed: 3);
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
                void Multiply(bool accumulate) => Gemm.Sgemm(transA, transB, m, n, k, a, transA == Transpose.None ? k : m, b, transB == Transpose.None ? n : k, c, n, accumulate, 1, GemmKernelKind.Auto);

                // The first calls size this thread's packing buffers; later calls reuse them.
                Multiply(false);
                Multiply(true);
                AllocationMeter.BytesPerRun(() => Multiply(true)).Should().Be(0, $"{transA}/{transB} steady-state calls must reuse the packing buffers");
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

    [Fact]
    public unsafe void ChoosePartsCutsSmallRowCountsFinerOnlyWherePackingIsCheap()
    {
        // conv2 forward of bench-vgg8: A (32x288) is tiny, so extra rectangles cost nothing.
        var convolution = new GemmProblem(Transpose.None, Transpose.None, 32, 147456, 288, null, 288, null, 147456, null, 147456, false);
        (int rows, int columns) = Gemm.ChooseParts(convolution, 2, 4, 4608);
        (rows * columns).Should().BeGreaterThan(2);
        // 1024^3: each extra rectangle would re-pack a 1024x1024 operand; one per thread.
        var square = new GemmProblem(Transpose.None, Transpose.None, 1024, 1024, 1024, null, 1024, null, 1024, null, 1024, false);
        Gemm.ChooseParts(square, 2, 128, 32).Should().Be((1, 2));
    }

    // Runs every kernel on every thread count against one reference result; fails past the tolerance.
    private static ErrorSummary CompareWithReference(
        GemmKernelKind[] kernels, int[] threadCounts, Transpose transA, Transpose transB, int m, int n, int k, bool accumulate, ulong seed)
    {
        // Stored shapes, with leading dimensions larger than the row length and spans longer than needed.
        int aRows = transA == Transpose.None ? m : k, aColumns = transA == Transpose.None ? k : m;
        int bRows = transB == Transpose.None ? k : n, bColumns = transB == Transpose.None ? n : k;
        int lda = aColumns + 3, ldb = bColumns + 5, ldc = n + 2;
        float[] a = RandomArray(aRows * lda + 7, seed);
        float[] b = RandomArray(bRows * ldb + 4, seed + 1);
        float[] initialC = RandomArray(m * ldc + 9, seed + 2);
        float[] expected = (float[])initialC.Clone();
        GemmReference.Sgemm(transA, transB, m, n, k, a, lda, b, ldb, expected, ldc, accumulate);

        // Tolerance per element: 2 sqrt(k+1) float roundings (eps = 2^-24) of the magnitude |a|·|b| (+ |c|).
        float[] magnitude = new float[expected.Length];
        float[] absA = Array.ConvertAll(a, Math.Abs), absB = Array.ConvertAll(b, Math.Abs);
        GemmReference.Sgemm(transA, transB, m, n, k, absA, lda, absB, ldb, magnitude, ldc, accumulate: false);

        var worst = new ErrorSummary();
        foreach (GemmKernelKind kernel in kernels)
        {
            foreach (int threads in threadCounts)
            {
                float[] c = (float[])initialC.Clone();
                Gemm.Sgemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, threads, kernel);
                string where = $"{kernel}, {transA}/{transB}, {m}x{n}x{k}, accumulate {accumulate}, {threads} threads";
                for (int index = 0; index < c.Length; index++)
                {
                    int row = index / ldc, column = index % ldc;
                    if (row >= m || column >= n)
                    {
                        if (c[index] != expected[index])
                        {
                            c[index].Should().Be(expected[index], $"element {index} lies outside C and must stay untouched ({where})");
                        }

                        continue;
                    }

                    double scale = magnitude[index] + (accumulate ? Math.Abs(initialC[index]) : 0) + 1e-30;
                    double tolerance = 2 * Math.Sqrt(k + 1) * Math.Pow(2, -24) * scale;
                    double difference = Math.Abs(c[index] - expected[index]);
                    if (!(difference <= tolerance))
                    {
                        difference.Should().BeLessThanOrEqualTo(tolerance, $"C[{row},{column}] = {c[index]} vs {expected[index]} ({where})");
                    }

                    worst = worst.Max(new ErrorSummary(difference, difference / tolerance));
                }
            }
        }

        return worst;
    }

    /// <summary>The largest absolute difference from the reference, and the largest difference / tolerance.</summary>
    private readonly record struct ErrorSummary(double Difference, double RatioToTolerance)
    {
        public ErrorSummary Max(ErrorSummary other) =>
            new(Math.Max(Difference, other.Difference), Math.Max(RatioToTolerance, other.RatioToTolerance));

        public override string ToString() => $"largest |difference| = {Difference:E2}, largest difference / tolerance = {RatioToTolerance:F3}";
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
