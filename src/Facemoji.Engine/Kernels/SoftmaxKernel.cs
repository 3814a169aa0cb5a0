using System.Numerics.Tensors;

namespace Facemoji.Engine.Kernels;

/// <summary>Row-wise softmax (numerically stable: TensorPrimitives.SoftMax subtracts the row maximum).</summary>
public static class SoftmaxKernel
{
    // logits (N,C) -> probabilities (N,C) written
    public static void Forward(ReadOnlySpan<float> logits, Span<float> probabilities, int n, int c)
    {
        for (int b = 0; b < n; b++)
        {
            TensorPrimitives.SoftMax(logits.Slice(b * c, c), probabilities.Slice(b * c, c));
        }
    }
}
