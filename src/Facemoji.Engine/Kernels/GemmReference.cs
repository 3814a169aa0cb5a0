namespace Facemoji.Engine.Kernels;

/// <summary>
/// The plain triple loop that defines what <see cref="Gemm"/> computes. Tests compare the optimised kernel
/// against it; it accumulates in double so that it is the more accurate of the two.
/// </summary>
internal static class GemmReference
{
    // C (m,n) = op(A) (m,k) · op(B) (k,n) [+ C when accumulate]; all row-major.
    // A is (m,k) with row stride lda, or (k,m) when transA; B is (k,n) with row stride ldb, or (n,k) when transB.
    public static void Sgemm(
        Transpose transA, Transpose transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? c[i * ldc + j] : 0.0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA == Transpose.None ? a[i * lda + p] : a[p * lda + i];
                    float bv = transB == Transpose.None ? b[p * ldb + j] : b[j * ldb + p];
                    sum += (double)av * bv;
                }

                c[i * ldc + j] = (float)sum;
            }
        }
    }
}
