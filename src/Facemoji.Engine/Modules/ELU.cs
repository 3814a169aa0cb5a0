using Facemoji.Engine.Kernels;
using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Modules;

/// <summary>x for x > 0, alpha·(exp(x) − 1) otherwise (nn.ELU, alpha 1 by default), any shape.</summary>
internal sealed class ELU(float alpha = 1f) : Module
{
    private Tensor? input, output, gradInput;

    public float Alpha { get; } = alpha;

    public override Tensor Forward(Tensor input)
    {
        this.input = input;
        var y = TensorBuffers.Ensure(ref output, input.Shape);
        ActivationKernels.Elu(input.Span, y.Span, Alpha);
        return y;
    }

    public override Tensor Backward(Tensor gradOutput)
    {
        var x = TensorBuffers.RequireSaved(input, nameof(ELU));
        var dx = TensorBuffers.Ensure(ref gradInput, x.Shape);
        ActivationKernels.EluBackward(x.Span, output!.Span, gradOutput.Span, dx.Span, Alpha);
        return dx;
    }
}
