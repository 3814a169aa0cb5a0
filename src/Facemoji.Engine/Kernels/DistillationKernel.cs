using System.Numerics.Tensors;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// Knowledge distillation's soft loss and its gradient in one pass (see <see cref="DistillationReference"/> for
/// the formula: T²·KL(q ‖ softmax(z/T)), mean over the batch), the teachers' softened probabilities, and the
/// blend with the hard-label loss.
/// </summary>
internal static class DistillationKernel
{
    // studentLogits (N,C), teacherProbabilities (N,C) -> returns the loss;
    // studentProbabilities (N,C) written = softmax(z/T), dlogits (N,C) written = ∂loss/∂studentLogits = T/N·(p − q)
    public static float ForwardBackward(
        ReadOnlySpan<float> studentLogits, ReadOnlySpan<float> teacherProbabilities, float temperature,
        Span<float> studentProbabilities, Span<float> dlogits, int n, int c)
    {
        float inverseT = 1f / temperature;
        double kl = 0;
        for (int b = 0; b < n; b++)
        {
            ReadOnlySpan<float> z = studentLogits.Slice(b * c, c);
            ReadOnlySpan<float> q = teacherProbabilities.Slice(b * c, c);
            Span<float> p = studentProbabilities.Slice(b * c, c);
            // p = softmax(z/T), max-shifted; log p[j] = (z[j] − max)/T − log Σ.
            float max = TensorPrimitives.Max(z);
            TensorPrimitives.Subtract(z, max, p);
            TensorPrimitives.Multiply(p, inverseT, p);
            TensorPrimitives.Exp(p, p);
            double sum = TensorPrimitives.Sum(p);
            double logSum = Math.Log(sum);
            TensorPrimitives.Multiply(p, (float)(1.0 / sum), p);
            for (int j = 0; j < c; j++)
            {
                if (q[j] > 0f)
                {
                    double logP = ((z[j] - max) * (double)inverseT) - logSum;
                    kl += q[j] * (Math.Log(q[j]) - logP);
                }
            }
        }

        TensorPrimitives.Subtract(studentProbabilities[..(n * c)], teacherProbabilities[..(n * c)], dlogits);
        TensorPrimitives.Multiply(dlogits[..(n * c)], temperature / n, dlogits);
        return (float)((double)temperature * temperature * kl / n);
    }

    // logits (N,C) -> probabilities (N,C) written = softmax(logits/T)
    public static void Soften(ReadOnlySpan<float> logits, float temperature, Span<float> probabilities, int n, int c)
    {
        float inverseT = 1f / temperature;
        for (int b = 0; b < n; b++)
        {
            ReadOnlySpan<float> z = logits.Slice(b * c, c);
            Span<float> p = probabilities.Slice(b * c, c);
            float max = TensorPrimitives.Max(z);
            TensorPrimitives.Subtract(z, max, p);
            TensorPrimitives.Multiply(p, inverseT, p);
            TensorPrimitives.Exp(p, p);
            TensorPrimitives.Multiply(p, (float)(1.0 / TensorPrimitives.Sum(p)), p);
        }
    }

    // hardGradient (N,C) = (1−α)·hardGradient + α·softGradient, in place -> returns (1−α)·hardLoss + α·softLoss.
    // α = 0 returns the hard loss and leaves its gradient bit for bit (1·g + 0·s would turn a −0 into +0), α = 1 copies the soft one.
    public static float Blend(float hardLoss, Span<float> hardGradient, float softLoss, ReadOnlySpan<float> softGradient, float alpha)
    {
        if (alpha == 0f)
        {
            return hardLoss;
        }

        if (alpha == 1f)
        {
            softGradient.CopyTo(hardGradient);
            return softLoss;
        }

        TensorPrimitives.Multiply(hardGradient, 1f - alpha, hardGradient);
        TensorPrimitives.MultiplyAdd(softGradient, alpha, hardGradient, hardGradient);
        return (float)(((1.0 - alpha) * hardLoss) + ((double)alpha * softLoss));
    }
}
