using System.Numerics;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// Knowledge distillation's soft loss by definition (Hinton et al. 2015), generic: with temperature T, the
/// student's softened probabilities p = softmax(z/T) and the teachers' soft targets q,
/// loss = T²·(1/N)·Σᵢ Σ_c q[c]·(log q[c] − log p[c]), i.e. PyTorch's
/// T*T * F.kl_div(F.log_softmax(z/T, 1), q, reduction="batchmean"). Terms with q[c] = 0 are 0 (as xlogy).
/// </summary>
internal static class DistillationReference
{
    // studentLogits (N,C), teacherProbabilities (N,C) rows summing to 1 -> returns the loss; dlogits (N,C) written = ∂loss/∂studentLogits
    public static T ForwardBackward<T>(ReadOnlySpan<T> studentLogits, ReadOnlySpan<T> teacherProbabilities, T temperature, Span<T> dlogits, int n, int c)
        where T : IFloatingPointIeee754<T>
    {
        var scaled = new T[n * c];
        for (int i = 0; i < n * c; i++)
        {
            scaled[i] = studentLogits[i] / temperature;
        }

        var logP = new T[n * c];
        SoftmaxReference.LogSoftmax<T>(scaled, logP, n, c);
        T batch = T.CreateChecked(n);
        T kl = T.Zero;
        for (int i = 0; i < n * c; i++)
        {
            T q = teacherProbabilities[i];
            if (q > T.Zero)
            {
                kl += q * (T.Log(q) - logP[i]);
            }
        }

        // ∂KL/∂(z/T) = p − q (the rows of q sum to 1), so ∂loss/∂z = T²/N · (p − q)/T = T/N · (p − q).
        for (int i = 0; i < n * c; i++)
        {
            dlogits[i] = temperature / batch * (T.Exp(logP[i]) - teacherProbabilities[i]);
        }

        return temperature * temperature * kl / batch;
    }

    // logits (N,C) -> probabilities (N,C) written = softmax(logits/T)
    public static void Soften<T>(ReadOnlySpan<T> logits, T temperature, Span<T> probabilities, int n, int c)
        where T : IFloatingPointIeee754<T>
    {
        var scaled = new T[n * c];
        for (int i = 0; i < n * c; i++)
        {
            scaled[i] = logits[i] / temperature;
        }

        SoftmaxReference.Forward<T>(scaled, probabilities, n, c);
    }
}
