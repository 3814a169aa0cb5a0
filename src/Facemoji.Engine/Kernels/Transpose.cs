namespace Facemoji.Engine.Kernels;

/// <summary>Whether a GEMM operand is used as stored or transposed (row-major storage throughout).</summary>
public enum Transpose
{
    None,
    Transposed,
}
