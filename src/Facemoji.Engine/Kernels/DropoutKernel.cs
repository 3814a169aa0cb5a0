using System.Numerics.Tensors;
using Facemoji.Engine.Randomness;

namespace Facemoji.Engine.Kernels;

/// <summary>Inverted dropout: each element is kept with probability 1−p and scaled by 1/(1−p), so evaluation needs no rescaling.</summary>
internal static class DropoutKernel
{
    // x (any) -> y (same) written; mask (same) written with 0 or 1/(1−p), drawn from rng in element order.
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, Span<float> mask, float p, SeededRandom rng)
    {
        float keep = 1f - p;
        float scale = keep > 0 ? 1f / keep : 0f;
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = rng.NextFloat() < keep ? scale : 0f;
        }

        TensorPrimitives.Multiply(x, mask, y);
    }

    // dy (any), mask from Forward -> dx (same) written
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> mask, Span<float> dx) => TensorPrimitives.Multiply(dy, mask, dx);
}
