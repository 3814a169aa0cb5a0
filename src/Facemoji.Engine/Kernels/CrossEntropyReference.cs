using System.Numerics;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// Softmax cross-entropy with label smoothing ε and optional class weights w, mean reduction, exactly as
/// torch.nn.functional.cross_entropy(weight=w, label_smoothing=ε) computes it (PyTorch 1.13):
/// loss = [(1−ε)·Σᵢ w[yᵢ]·(−log pᵢ[yᵢ]) + (ε/C)·Σᵢ Σ_c w[c]·(−log pᵢ[c])] / Σᵢ w[yᵢ]   (w = 1 without weights).
/// </summary>
internal static class CrossEntropyReference
{
    // logits (N,C), targets (N) in [0,C), classWeights (C) or empty -> returns the loss; dlogits (N,C) written = ∂loss/∂logits
    public static T ForwardBackward<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, ReadOnlySpan<T> classWeights, T labelSmoothing, Span<T> dlogits, int n, int c)
        where T : IFloatingPointIeee754<T>
    {
        var logProbabilities = new T[n * c];
        SoftmaxReference.LogSoftmax(logits, logProbabilities, n, c);
        T weightOfTargets = T.Zero, nll = T.Zero, smooth = T.Zero, sumOfWeights = T.Zero;
        for (int j = 0; j < c; j++)
        {
            sumOfWeights += Weight(classWeights, j);
        }

        for (int b = 0; b < n; b++)
        {
            T wt = Weight(classWeights, targets[b]);
            weightOfTargets += wt;
            nll -= wt * logProbabilities[(b * c) + targets[b]];
            for (int j = 0; j < c; j++)
            {
                smooth -= Weight(classWeights, j) * logProbabilities[(b * c) + j];
            }
        }

        T classes = T.CreateChecked(c);
        T loss = (((T.One - labelSmoothing) * nll) + (labelSmoothing / classes * smooth)) / weightOfTargets;
        // ∂(−log p_k)/∂z = p − e_k, so each sample's gradient is [((1−ε)·w[y] + ε/C·Σw)·p − (1−ε)·w[y]·e_y − ε/C·w] / Σ w[y].
        for (int b = 0; b < n; b++)
        {
            T wt = Weight(classWeights, targets[b]);
            T pScale = ((T.One - labelSmoothing) * wt) + (labelSmoothing / classes * sumOfWeights);
            for (int j = 0; j < c; j++)
            {
                T p = T.Exp(logProbabilities[(b * c) + j]);
                T g = (pScale * p) - (labelSmoothing / classes * Weight(classWeights, j));
                if (j == targets[b])
                {
                    g -= (T.One - labelSmoothing) * wt;
                }

                dlogits[(b * c) + j] = g / weightOfTargets;
            }
        }

        return loss;
    }

    private static T Weight<T>(ReadOnlySpan<T> classWeights, int j)
        where T : IFloatingPointIeee754<T> => classWeights.IsEmpty ? T.One : classWeights[j];
}
