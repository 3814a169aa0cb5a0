namespace Facemoji.Engine.Kernels;

/// <summary>Single-precision matrix multiply, row-major. Placeholder that the optimised kernel replaces.</summary>
public static class Gemm
{
    // C (m,n) = op(A) (m,k) · op(B) (k,n) [+ C when accumulate]; same contract as GemmReference.Sgemm.
    public static void Sgemm(
        Transpose transA, Transpose transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate)
        => GemmReference.Sgemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
}
