using System.Numerics;

namespace Facemoji.Engine.Kernels;

/// <summary>A fully connected layer by definition, y = x·Wᵀ + b, generic for the double-precision gradient checks.</summary>
internal static class LinearReference
{
    // x (N,In), w (Out,In), bias (Out) or empty -> y (N,Out) written
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> y, int n, int inFeatures, int outFeatures)
        where T : IFloatingPointIeee754<T>
    {
        for (int b = 0; b < n; b++)
        {
            for (int o = 0; o < outFeatures; o++)
            {
                T sum = bias.IsEmpty ? T.Zero : bias[o];
                for (int i = 0; i < inFeatures; i++)
                {
                    sum += x[(b * inFeatures) + i] * w[(o * inFeatures) + i];
                }

                y[(b * outFeatures) + o] = sum;
            }
        }
    }

    // x (N,In), w (Out,In), dy (N,Out) -> dx (N,In) written; dw (Out,In), dbias (Out or empty) accumulated
    public static void Backward<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> dy, Span<T> dx, Span<T> dw, Span<T> dbias, int n, int inFeatures, int outFeatures)
        where T : IFloatingPointIeee754<T>
    {
        dx.Clear();
        for (int b = 0; b < n; b++)
        {
            for (int o = 0; o < outFeatures; o++)
            {
                T d = dy[(b * outFeatures) + o];
                if (!dbias.IsEmpty)
                {
                    dbias[o] += d;
                }

                for (int i = 0; i < inFeatures; i++)
                {
                    dw[(o * inFeatures) + i] += d * x[(b * inFeatures) + i];
                    dx[(b * inFeatures) + i] += d * w[(o * inFeatures) + i];
                }
            }
        }
    }
}
