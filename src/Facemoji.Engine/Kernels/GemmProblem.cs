namespace Facemoji.Engine.Kernels;

/// <summary>
/// One SGEMM call with its operands pinned: C (m,n) = op(A) (m,k) · op(B) (k,n) [+ C]. Row-major; A is (m,k)
/// with row stride lda, or (k,m) when transposed; B is (k,n) with row stride ldb, or (n,k) when transposed.
/// Only valid while the caller keeps the spans fixed.
/// </summary>
internal readonly unsafe struct GemmProblem(
    Transpose transA, Transpose transB, int m, int n, int k,
    float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
{
    public readonly Transpose TransA = transA;
    public readonly Transpose TransB = transB;
    public readonly int M = m;
    public readonly int N = n;
    public readonly int K = k;
    public readonly float* A = a;
    public readonly int Lda = lda;
    public readonly float* B = b;
    public readonly int Ldb = ldb;
    public readonly float* C = c;
    public readonly int Ldc = ldc;
    public readonly bool Accumulate = accumulate;
}
