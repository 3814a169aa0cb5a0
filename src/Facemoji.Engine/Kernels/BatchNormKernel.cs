using System.Numerics.Tensors;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// Batch normalisation over (N, C, S), channels in parallel, optionally fused with a following ReLU: forward
/// writes max(BN(x), 0) in the same pass, backward masks the incoming gradient with the saved output while it
/// reduces. Statistics are summed per row in float by TensorPrimitives and across rows in double.
/// </summary>
internal static class BatchNormKernel
{
    // x (N,C,S), gamma/beta (C) -> y (N,C,S) written (ReLU applied when relu); mean/invStd (C) written;
    // runningMean/runningVar (C) updated: r = (1 − momentum)·r + momentum·batch (unbiased variance).
    public static void ForwardTraining(
        float[] x, float[] gamma, float[] beta, float[] y, float[] mean, float[] invStd, float[] runningMean, float[] runningVar,
        float momentum, float eps, int n, int c, int s, bool relu)
    {
        var op = new ForwardTrainingOperation(x, gamma, beta, y, mean, invStd, runningMean, runningVar, momentum, eps, n, c, s, relu);
        ParallelRows.For(c, MinChannelsPerThread(n, s), op);
    }

    // x (N,C,S) = BN input, y (N,C,S) = output (read only for the ReLU mask, may be null without relu), gamma, mean,
    // invStd (C), dy (N,C,S) -> dx (N,C,S) written; dgamma/dbeta (C) accumulated.
    public static void BackwardTraining(
        float[] x, float[]? y, float[] gamma, float[] mean, float[] invStd, float[] dy, float[] dx, float[] dgamma, float[] dbeta,
        int n, int c, int s, bool relu)
    {
        var op = new BackwardOperation(x, y, gamma, mean, invStd, dy, dx, dgamma, dbeta, n, c, s, relu, training: true, 0f);
        ParallelRows.For(c, MinChannelsPerThread(n, s), op);
    }

    // x (N,C,S), gamma/beta/runningMean/runningVar (C) -> y (N,C,S) written (ReLU applied when relu)
    public static void ForwardEval(
        float[] x, float[] gamma, float[] beta, float[] runningMean, float[] runningVar, float[] y, float eps, int n, int c, int s, bool relu)
    {
        for (int ch = 0; ch < c; ch++)
        {
            float scale = gamma[ch] / MathF.Sqrt(runningVar[ch] + eps);
            float shift = beta[ch] - (runningMean[ch] * scale);
            for (int b = 0; b < n; b++)
            {
                int offset = ((b * c) + ch) * s;
                ScaleShift(x.AsSpan(offset, s), scale, shift, y.AsSpan(offset, s), relu);
            }
        }
    }

    // As BackwardTraining but through the running statistics (mean = runningMean, invStd = 1/sqrt(runningVar + eps)), which are constants.
    public static void BackwardEval(
        float[] x, float[]? y, float[] gamma, float[] runningMean, float[] runningVar, float eps, float[] dy, float[] dx,
        float[] dgamma, float[] dbeta, int n, int c, int s, bool relu)
    {
        var op = new BackwardOperation(x, y, gamma, runningMean, runningVar, dy, dx, dgamma, dbeta, n, c, s, relu, training: false, eps);
        ParallelRows.For(c, MinChannelsPerThread(n, s), op);
    }

    private static int MinChannelsPerThread(int n, int s) => Math.Max(1, 16384 / Math.Max(1, n * s));

    private static void ScaleShift(ReadOnlySpan<float> x, float scale, float shift, Span<float> y, bool relu) =>
        ActivationKernels.ScaleShift(x, scale, shift, y, relu);

    private readonly struct ForwardTrainingOperation(
        float[] x, float[] gamma, float[] beta, float[] y, float[] mean, float[] invStd, float[] runningMean, float[] runningVar,
        float momentum, float eps, int n, int c, int s, bool relu) : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            long count = (long)n * s;
            for (int ch = start; ch < end; ch++)
            {
                double sum = 0, squares = 0;
                for (int b = 0; b < n; b++)
                {
                    ReadOnlySpan<float> row = x.AsSpan(((b * c) + ch) * s, s);
                    sum += TensorPrimitives.Sum(row);
                    squares += TensorPrimitives.SumOfSquares(row);
                }

                double mu = sum / count;
                double variance = Math.Max(0, (squares / count) - (mu * mu));
                float inv = (float)(1.0 / Math.Sqrt(variance + eps));
                mean[ch] = (float)mu;
                invStd[ch] = inv;
                double unbiased = count > 1 ? variance * count / (count - 1) : variance;
                runningMean[ch] = (float)(((1 - momentum) * runningMean[ch]) + (momentum * mu));
                runningVar[ch] = (float)(((1 - momentum) * runningVar[ch]) + (momentum * unbiased));
                float scale = gamma[ch] * inv;
                float shift = beta[ch] - ((float)mu * scale);
                for (int b = 0; b < n; b++)
                {
                    int offset = ((b * c) + ch) * s;
                    ScaleShift(x.AsSpan(offset, s), scale, shift, y.AsSpan(offset, s), relu);
                }
            }
        }
    }

    // Training: statistics = invStd (C). Eval: statistics = running variance (C) and invStd = 1/sqrt(var + eps).
    private readonly struct BackwardOperation(
        float[] x, float[]? y, float[] gamma, float[] mean, float[] statistics, float[] dy, float[] dx, float[] dgamma, float[] dbeta,
        int n, int c, int s, bool relu, bool training, float eps) : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            long count = (long)n * s;
            for (int ch = start; ch < end; ch++)
            {
                // g = dy masked by the ReLU (written into dx first), then the sums Σg and Σg·x.
                double sumG = 0, sumGx = 0;
                for (int b = 0; b < n; b++)
                {
                    int offset = ((b * c) + ch) * s;
                    ReadOnlySpan<float> g;
                    if (relu)
                    {
                        ActivationKernels.SelectWherePositive(y.AsSpan(offset, s), dy.AsSpan(offset, s), dx.AsSpan(offset, s));
                        g = dx.AsSpan(offset, s);
                    }
                    else
                    {
                        g = dy.AsSpan(offset, s);
                    }

                    sumG += TensorPrimitives.Sum(g);
                    sumGx += TensorPrimitives.Dot(g, x.AsSpan(offset, s));
                }

                double mu = mean[ch], inv = training ? statistics[ch] : 1.0 / Math.Sqrt(statistics[ch] + eps);
                double sumGCentered = sumGx - (mu * sumG);
                dgamma[ch] += (float)(sumGCentered * inv);
                dbeta[ch] += (float)sumG;
                // Training: dx = k·g + p·x + q with k = γ·invStd, p = −k·invStd²·Σg(x−μ)/M, q = −k·Σg/M − p·μ.
                // Eval: the statistics are constants, so dx = k·g.
                double k = gamma[ch] * inv;
                double p = training ? -k * inv * inv * sumGCentered / count : 0;
                double q = training ? (-k * sumG / count) - (p * mu) : 0;
                for (int b = 0; b < n; b++)
                {
                    int offset = ((b * c) + ch) * s;
                    ReadOnlySpan<float> g = relu ? dx.AsSpan(offset, s) : dy.AsSpan(offset, s);
                    Span<float> target = dx.AsSpan(offset, s);
                    ActivationKernels.ScaleShift(g, (float)k, (float)q, target, relu: false);
                    if (training)
                    {
                        TensorPrimitives.MultiplyAdd(x.AsSpan(offset, s), (float)p, target, target);
                    }
                }
            }
        }
    }
}
