using System.Numerics;

namespace Facemoji.Engine.Kernels;

/// <summary>Scalar ReLU and ELU, generic so that finite-difference checks run in double.</summary>
internal static class ActivationReference
{
    // x (any) -> y (same)
    public static void Relu<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i] > T.Zero ? x[i] : T.Zero;
        }
    }

    // x (any) = ReLU input, dy (same) -> dx (same) written
    public static void ReluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            dx[i] = x[i] > T.Zero ? dy[i] : T.Zero;
        }
    }

    // x (any) -> y (same)
    public static void Elu<T>(ReadOnlySpan<T> x, Span<T> y, T alpha)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i] > T.Zero ? x[i] : alpha * (T.Exp(x[i]) - T.One);
        }
    }

    // x (any) = ELU input, dy (same) -> dx (same) written
    public static void EluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx, T alpha)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            dx[i] = x[i] > T.Zero ? dy[i] : dy[i] * alpha * T.Exp(x[i]);
        }
    }
}
