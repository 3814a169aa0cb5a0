using System.Numerics;

namespace Facemoji.Engine.Kernels;

/// <summary>Softmax and log-softmax by definition (max-shifted), generic.</summary>
internal static class SoftmaxReference
{
    // logits (N,C) -> probabilities (N,C) written
    public static void Forward<T>(ReadOnlySpan<T> logits, Span<T> probabilities, int n, int c)
        where T : IFloatingPointIeee754<T>
    {
        for (int b = 0; b < n; b++)
        {
            T max = T.NegativeInfinity;
            for (int j = 0; j < c; j++)
            {
                max = T.Max(max, logits[(b * c) + j]);
            }

            T sum = T.Zero;
            for (int j = 0; j < c; j++)
            {
                T e = T.Exp(logits[(b * c) + j] - max);
                probabilities[(b * c) + j] = e;
                sum += e;
            }

            for (int j = 0; j < c; j++)
            {
                probabilities[(b * c) + j] /= sum;
            }
        }
    }

    // logits (N,C) -> logProbabilities (N,C) written
    public static void LogSoftmax<T>(ReadOnlySpan<T> logits, Span<T> logProbabilities, int n, int c)
        where T : IFloatingPointIeee754<T>
    {
        for (int b = 0; b < n; b++)
        {
            T max = T.NegativeInfinity;
            for (int j = 0; j < c; j++)
            {
                max = T.Max(max, logits[(b * c) + j]);
            }

            T sum = T.Zero;
            for (int j = 0; j < c; j++)
            {
                sum += T.Exp(logits[(b * c) + j] - max);
            }

            T logSum = T.Log(sum) + max;
            for (int j = 0; j < c; j++)
            {
                logProbabilities[(b * c) + j] = logits[(b * c) + j] - logSum;
            }
        }
    }
}
