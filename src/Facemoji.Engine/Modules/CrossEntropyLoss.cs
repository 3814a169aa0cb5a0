using Facemoji.Engine.Kernels;
using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Modules;

/// <summary>
/// Softmax cross-entropy over logits (N,C) with integer targets, mean reduction, optional label smoothing and
/// class weights: the same number as torch.nn.functional.cross_entropy(logits, targets, weight=, label_smoothing=).
/// <see cref="Forward"/> returns the loss and computes ∂loss/∂logits at once; <see cref="Backward"/> hands it out.
/// </summary>
public sealed class CrossEntropyLoss
{
    private Tensor? probabilities, gradient;

    public CrossEntropyLoss(float labelSmoothing = 0f, float[]? classWeights = null)
    {
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f))
        {
            throw new FacemojiException($"Label smoothing must be in [0, 1], got {labelSmoothing}.");
        }

        if (classWeights != null && classWeights.Any(w => !(w >= 0f) || float.IsInfinity(w)))
        {
            throw new FacemojiException("Class weights must be finite and non-negative.");
        }

        LabelSmoothing = labelSmoothing;
        ClassWeights = classWeights;
    }

    public float LabelSmoothing { get; }

    public float[]? ClassWeights { get; }

    /// <summary>Softmax of the last logits (N,C).</summary>
    public Tensor Probabilities => probabilities ?? throw new InvalidOperationException("CrossEntropyLoss.Forward has not run.");

    // logits (N,C), targets (N) in [0,C) -> the mean loss
    public float Forward(Tensor logits, ReadOnlySpan<int> targets)
    {
        if (logits.Rank != 2 || logits[0] != targets.Length)
        {
            throw new ArgumentException($"CrossEntropyLoss expects logits (N,C) and N targets, got {logits} and {targets.Length} targets.");
        }

        int n = logits[0], c = logits[1];
        if (ClassWeights != null && ClassWeights.Length != c)
        {
            throw new FacemojiException($"{ClassWeights.Length} class weights given for {c} classes.");
        }

        foreach (int t in targets)
        {
            if ((uint)t >= (uint)c)
            {
                throw new FacemojiException($"Target class {t} is outside [0, {c}).");
            }
        }

        var p = TensorBuffers.Ensure(ref probabilities, logits.Shape);
        var g = TensorBuffers.Ensure(ref gradient, logits.Shape);
        return CrossEntropyKernel.ForwardBackward(logits.Span, targets, ClassWeights, LabelSmoothing, p.Span, g.Span, n, c);
    }

    /// <summary>∂loss/∂logits (N,C) for the last <see cref="Forward"/>.</summary>
    public Tensor Backward() => gradient ?? throw new InvalidOperationException("CrossEntropyLoss.Backward called before Forward.");
}
