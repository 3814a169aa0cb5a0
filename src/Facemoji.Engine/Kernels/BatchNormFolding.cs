namespace Facemoji.Engine.Kernels;

/// <summary>
/// Folds an evaluation-mode BatchNorm into the convolution before it: BN(conv(x)) = conv'(x) with
/// w' = w·s and b' = (b − running_mean)·s + β per output channel, where s = γ / sqrt(running_var + eps).
/// Inference then runs one GEMM with a fused bias(+ReLU) epilogue instead of conv, BN and ReLU passes.
/// </summary>
internal static class BatchNormFolding
{
    // w (Cout, K), convBias (Cout) or empty, gamma/beta/runningMean/runningVar (C=Cout) -> foldedWeight (Cout,K), foldedBias (Cout) written
    public static void Fold(
        ReadOnlySpan<float> w, ReadOnlySpan<float> convBias, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, float eps, Span<float> foldedWeight, Span<float> foldedBias, int outChannels)
    {
        int k = w.Length / outChannels;
        for (int co = 0; co < outChannels; co++)
        {
            float scale = gamma[co] / MathF.Sqrt(runningVar[co] + eps);
            System.Numerics.Tensors.TensorPrimitives.Multiply(w.Slice(co * k, k), scale, foldedWeight.Slice(co * k, k));
            float b = convBias.IsEmpty ? 0f : convBias[co];
            foldedBias[co] = ((b - runningMean[co]) * scale) + beta[co];
        }
    }
}
