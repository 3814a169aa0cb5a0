using System.Numerics.Tensors;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// Fused softmax + cross-entropy (label smoothing, class weights, mean reduction as PyTorch's cross_entropy; see
/// <see cref="CrossEntropyReference"/> for the formula): one pass gives the loss and ∂loss/∂logits.
/// </summary>
internal static class CrossEntropyKernel
{
    // logits (N,C), targets (N) in [0,C), classWeights (C) or empty -> returns the loss;
    // probabilities (N,C) written (softmax), dlogits (N,C) written = ∂loss/∂logits
    public static float ForwardBackward(
        ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, ReadOnlySpan<float> classWeights, float labelSmoothing,
        Span<float> probabilities, Span<float> dlogits, int n, int c)
    {
        double sumOfWeights = classWeights.IsEmpty ? c : TensorPrimitives.Sum(classWeights[..c]);
        double weightOfTargets = 0, nll = 0, smooth = 0;
        for (int b = 0; b < n; b++)
        {
            ReadOnlySpan<float> z = logits.Slice(b * c, c);
            Span<float> p = probabilities.Slice(b * c, c);
            float max = TensorPrimitives.Max(z);
            TensorPrimitives.Subtract(z, max, p);
            TensorPrimitives.Exp(p, p);
            double sum = TensorPrimitives.Sum(p);
            double logSum = Math.Log(sum) + max;
            TensorPrimitives.Multiply(p, (float)(1.0 / sum), p);
            int target = targets[b];
            double wt = classWeights.IsEmpty ? 1.0 : classWeights[target];
            weightOfTargets += wt;
            nll += wt * (logSum - z[target]);
            // Σ_c w[c]·(−log p[c]) = Σw·logSum − Σ w[c]·z[c]
            double weightedLogits = classWeights.IsEmpty ? TensorPrimitives.Sum(z) : TensorPrimitives.Dot(classWeights[..c], z);
            smooth += (sumOfWeights * logSum) - weightedLogits;
        }

        double classes = c;
        double loss = (((1 - labelSmoothing) * nll) + (labelSmoothing / classes * smooth)) / weightOfTargets;
        double inverse = 1.0 / weightOfTargets;
        for (int b = 0; b < n; b++)
        {
            int target = targets[b];
            double wt = classWeights.IsEmpty ? 1.0 : classWeights[target];
            float pScale = (float)((((1 - labelSmoothing) * wt) + (labelSmoothing / classes * sumOfWeights)) * inverse);
            Span<float> g = dlogits.Slice(b * c, c);
            TensorPrimitives.Multiply(probabilities.Slice(b * c, c), pScale, g);
            float smoothScale = (float)(labelSmoothing / classes * inverse);
            if (classWeights.IsEmpty)
            {
                TensorPrimitives.Subtract(g, smoothScale, g);
            }
            else
            {
                TensorPrimitives.MultiplyAdd(classWeights[..c], -smoothScale, g, g);
            }

            g[target] -= (float)((1 - labelSmoothing) * wt * inverse);
        }

        return (float)loss;
    }
}
