using System.Numerics;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// Batch normalisation over (N, C, S) with S = H·W (S = 1 for (N, C) inputs), by definition and generic for the
/// double-precision gradient checks. Training normalises with the biased batch variance and updates the running
/// variance with the unbiased one, as PyTorch does.
/// </summary>
internal static class BatchNormReference
{
    // x (N,C,S), gamma/beta (C) -> y (N,C,S) written; mean/invStd (C) written (saved for backward);
    // runningMean/runningVar (C) updated with momentum.
    public static void ForwardTraining<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, Span<T> y, Span<T> mean, Span<T> invStd,
        Span<T> runningMean, Span<T> runningVar, T momentum, T eps, int n, int c, int s)
        where T : IFloatingPointIeee754<T>
    {
        T count = T.CreateChecked(n * s);
        for (int ch = 0; ch < c; ch++)
        {
            T sum = T.Zero;
            for (int b = 0; b < n; b++)
            {
                for (int i = 0; i < s; i++)
                {
                    sum += x[(((b * c) + ch) * s) + i];
                }
            }

            T mu = sum / count;
            T squares = T.Zero;
            for (int b = 0; b < n; b++)
            {
                for (int i = 0; i < s; i++)
                {
                    T d = x[(((b * c) + ch) * s) + i] - mu;
                    squares += d * d;
                }
            }

            T variance = squares / count;
            T inv = T.One / T.Sqrt(variance + eps);
            mean[ch] = mu;
            invStd[ch] = inv;
            runningMean[ch] = ((T.One - momentum) * runningMean[ch]) + (momentum * mu);
            T unbiased = n * s > 1 ? squares / (count - T.One) : variance;
            runningVar[ch] = ((T.One - momentum) * runningVar[ch]) + (momentum * unbiased);
            for (int b = 0; b < n; b++)
            {
                for (int i = 0; i < s; i++)
                {
                    int k = (((b * c) + ch) * s) + i;
                    y[k] = ((x[k] - mu) * inv * gamma[ch]) + beta[ch];
                }
            }
        }
    }

    // x (N,C,S), gamma (C), mean/invStd (C) from ForwardTraining, dy (N,C,S) -> dx (N,C,S) written; dgamma/dbeta (C) accumulated.
    public static void BackwardTraining<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> mean, ReadOnlySpan<T> invStd, ReadOnlySpan<T> dy,
        Span<T> dx, Span<T> dgamma, Span<T> dbeta, int n, int c, int s)
        where T : IFloatingPointIeee754<T>
    {
        T count = T.CreateChecked(n * s);
        for (int ch = 0; ch < c; ch++)
        {
            T sumDy = T.Zero, sumDyXhat = T.Zero;
            for (int b = 0; b < n; b++)
            {
                for (int i = 0; i < s; i++)
                {
                    int k = (((b * c) + ch) * s) + i;
                    sumDy += dy[k];
                    sumDyXhat += dy[k] * (x[k] - mean[ch]) * invStd[ch];
                }
            }

            dgamma[ch] += sumDyXhat;
            dbeta[ch] += sumDy;
            for (int b = 0; b < n; b++)
            {
                for (int i = 0; i < s; i++)
                {
                    int k = (((b * c) + ch) * s) + i;
                    T xhat = (x[k] - mean[ch]) * invStd[ch];
                    dx[k] = gamma[ch] * invStd[ch] * (dy[k] - (sumDy / count) - (xhat * sumDyXhat / count));
                }
            }
        }
    }

    // x (N,C,S), gamma/beta/runningMean/runningVar (C) -> y (N,C,S) written
    public static void ForwardEval<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, ReadOnlySpan<T> runningMean, ReadOnlySpan<T> runningVar,
        Span<T> y, T eps, int n, int c, int s)
        where T : IFloatingPointIeee754<T>
    {
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                T inv = T.One / T.Sqrt(runningVar[ch] + eps);
                for (int i = 0; i < s; i++)
                {
                    int k = (((b * c) + ch) * s) + i;
                    y[k] = ((x[k] - runningMean[ch]) * inv * gamma[ch]) + beta[ch];
                }
            }
        }
    }

    // x (N,C,S), gamma/runningMean/runningVar (C), dy (N,C,S) -> dx (N,C,S) written; dgamma/dbeta (C) accumulated.
    public static void BackwardEval<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> runningMean, ReadOnlySpan<T> runningVar, ReadOnlySpan<T> dy,
        Span<T> dx, Span<T> dgamma, Span<T> dbeta, T eps, int n, int c, int s)
        where T : IFloatingPointIeee754<T>
    {
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                T inv = T.One / T.Sqrt(runningVar[ch] + eps);
                for (int i = 0; i < s; i++)
                {
                    int k = (((b * c) + ch) * s) + i;
                    dx[k] = dy[k] * inv * gamma[ch];
                    dgamma[ch] += dy[k] * (x[k] - runningMean[ch]) * inv;
                    dbeta[ch] += dy[k];
                }
            }
        }
    }
}
