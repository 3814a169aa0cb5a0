using Facemoji.Engine.Kernels;
using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Modules;

/// <summary>
/// Knowledge distillation (Hinton et al. 2015): the soft loss T²·KL(q ‖ softmax(z/T)) between the teachers'
/// soft targets q (the mean of each teacher's softmax(logits/T), <see cref="AddSoftTargets"/>) and the student's
/// logits z, mean over the batch, as PyTorch's <c>T*T * F.kl_div(F.log_softmax(z/T, 1), q, reduction="batchmean")</c>;
/// and its blend (1−α)·hard + α·soft with the hard-label loss. The T² keeps the soft gradient's size
/// independent of T, so α weighs the two parts alike at any temperature.
/// </summary>
public sealed class DistillationLoss
{
    private Tensor? probabilities, gradient, softened;
    private float softLoss;

    /// <param name="temperature">T &gt; 0: the softening of both the teachers' and the student's logits.</param>
    /// <param name="weight">α in [0, 1]: the soft loss's share of the blend.</param>
    public DistillationLoss(float temperature, float weight)
    {
        if (!(temperature > 0f) || float.IsInfinity(temperature))
        {
            throw new FacemojiException($"The distillation temperature must be a finite number above 0, got {temperature}.");
        }

        if (!(weight >= 0f && weight <= 1f))
        {
            throw new FacemojiException($"The distillation weight must be in [0, 1], got {weight}.");
        }

        Temperature = temperature;
        Weight = weight;
    }

    public float Temperature { get; }

    public float Weight { get; }

    /// <summary>The student's softened probabilities softmax(z/T) of the last <see cref="Forward"/>.</summary>
    public Tensor Probabilities => probabilities ?? throw new InvalidOperationException("DistillationLoss.Forward has not run.");

    /// <summary>
    /// Adds softmax(logits/T) × <paramref name="share"/> to <paramref name="softTargets"/>: called once per
    /// teacher with share 1/teachers on a zeroed tensor, it gives the ensemble's mean softened probabilities.
    /// </summary>
    // teacherLogits (N,C), softTargets (N,C) accumulated
    public void AddSoftTargets(Tensor teacherLogits, Tensor softTargets, float share)
    {
        CheckSameShape(teacherLogits, softTargets, "soft targets");
        int n = teacherLogits[0], c = teacherLogits[1];
        var p = TensorBuffers.Ensure(ref softened, teacherLogits.Shape);
        DistillationKernel.Soften(teacherLogits.Span, Temperature, p.Span, n, c);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(p.Span, share, softTargets.Span, softTargets.Span);
    }

    // studentLogits (N,C), softTargets (N,C) rows summing to 1 -> the soft loss (before the blend)
    public float Forward(Tensor studentLogits, Tensor softTargets)
    {
        CheckSameShape(studentLogits, softTargets, "soft targets");
        int n = studentLogits[0], c = studentLogits[1];
        var p = TensorBuffers.Ensure(ref probabilities, studentLogits.Shape);
        var g = TensorBuffers.Ensure(ref gradient, studentLogits.Shape);
        softLoss = DistillationKernel.ForwardBackward(studentLogits.Span, softTargets.Span, Temperature, p.Span, g.Span, n, c);
        return softLoss;
    }

    /// <summary>∂soft loss/∂studentLogits (N,C) for the last <see cref="Forward"/>.</summary>
    public Tensor Backward() => gradient ?? throw new InvalidOperationException("DistillationLoss.Backward called before Forward.");

    /// <summary>
    /// (1−α)·<paramref name="hardLoss"/> + α·(the last <see cref="Forward"/>'s soft loss), and the same blend of the
    /// gradients written into <paramref name="hardGradient"/>. α = 0 leaves the hard loss and gradient exactly as they were.
    /// </summary>
    // hardGradient (N,C) blended in place -> the blended loss
    public float Blend(float hardLoss, Tensor hardGradient)
    {
        var soft = Backward();
        CheckSameShape(hardGradient, soft, "hard-loss gradient");
        return DistillationKernel.Blend(hardLoss, hardGradient.Span, softLoss, soft.Span, Weight);
    }

    private static void CheckSameShape(Tensor logits, Tensor other, string what)
    {
        if (logits.Rank != 2 || other.Rank != 2 || logits[0] != other[0] || logits[1] != other[1])
        {
            throw new ArgumentException($"DistillationLoss expects logits (N,C) and {what} of the same shape, got {logits} and {other}.");
        }
    }
}
