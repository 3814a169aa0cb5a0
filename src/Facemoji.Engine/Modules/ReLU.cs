using Facemoji.Engine.Kernels;
using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Modules;

/// <summary>max(x, 0), any shape.</summary>
internal sealed class ReLU : Module
{
    private Tensor? output, gradInput;

    public override Tensor Forward(Tensor input)
    {
        var y = TensorBuffers.Ensure(ref output, input.Shape);
        ActivationKernels.Relu(input.Span, y.Span);
        return y;
    }

    public override Tensor Backward(Tensor gradOutput)
    {
        var y = TensorBuffers.RequireSaved(output, nameof(ReLU));
        var dx = TensorBuffers.Ensure(ref gradInput, y.Shape);
        ActivationKernels.ReluBackward(y.Span, gradOutput.Span, dx.Span);
        return dx;
    }
}
