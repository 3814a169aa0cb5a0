using Facemoji.Engine.Kernels;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Modules;

/// <summary>
/// Inverted dropout (nn.Dropout): in training each element is zeroed with probability p and the rest scaled by
/// 1/(1−p); in evaluation (or with p = 0) the input passes through unchanged. The mask comes from
/// <see cref="Random"/>, whose state a trainer can save to resume exactly.
/// </summary>
public sealed class Dropout : Module
{
    private Tensor? output, gradInput, mask;
    private bool forwardWasIdentity;

    public Dropout(float p, SeededRandom rng)
    {
        if (!(p >= 0f && p < 1f))
        {
            throw new ArgumentException($"Dropout probability must be in [0, 1), got {p}.");
        }

        P = p;
        Random = rng;
    }

    public float P { get; }

    public SeededRandom Random { get; }

    public override Tensor Forward(Tensor input)
    {
        forwardWasIdentity = !IsTraining || P == 0f;
        if (forwardWasIdentity)
        {
            return input;
        }

        var y = TensorBuffers.Ensure(ref output, input.Shape);
        var m = TensorBuffers.Ensure(ref mask, input.Shape);
        DropoutKernel.Forward(input.Span, y.Span, m.Span, P, Random);
        return y;
    }

    public override Tensor Backward(Tensor gradOutput)
    {
        if (forwardWasIdentity)
        {
            return gradOutput;
        }

        var m = TensorBuffers.RequireSaved(mask, nameof(Dropout));
        var dx = TensorBuffers.Ensure(ref gradInput, m.Shape);
        DropoutKernel.Backward(gradOutput.Span, m.Span, dx.Span);
        return dx;
    }
}
