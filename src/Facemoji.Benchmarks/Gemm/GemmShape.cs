using Facemoji.Engine.Kernels;

namespace Facemoji.Benchmarks.Gemm;

/// <summary>One SGEMM problem of the benchmark: C (M,N) = op(A) (M,K) · op(B) (K,N), operands stored densely.</summary>
public sealed record GemmShape(string Name, Transpose TransA, Transpose TransB, int M, int N, int K)
{
    /// <summary>Floating-point operations of one multiply: a multiply and an add per (i, j, p).</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>Row stride of A as stored: (M,K) or, transposed, (K,M).</summary>
    public int Lda => TransA == Transpose.None ? K : M;

    /// <summary>Row stride of B as stored: (K,N) or, transposed, (N,K).</summary>
    public int Ldb => TransB == Transpose.None ? N : K;

    /// <summary>"NN", "NT", "TN" or "TT": which operands are transposed.</summary>
    public string TransposeCode => $"{(TransA == Transpose.None ? 'N' : 'T')}{(TransB == Transpose.None ? 'N' : 'T')}";
}
