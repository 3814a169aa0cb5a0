using Facemoji.Engine.Kernels;
using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Modules;

/// <summary>(N,C,H,W) → (N,C): the mean of each plane (nn.AdaptiveAvgPool2d(1) followed by flatten).</summary>
public sealed class GlobalAvgPool : Module
{
    private Tensor? input, output, gradInput;

    public override Tensor Forward(Tensor input)
    {
        TensorBuffers.RequireRank(input, 4, nameof(GlobalAvgPool));
        this.input = input;
        var y = TensorBuffers.Ensure(ref output, [input[0], input[1]]);
        GlobalAvgPoolKernel.Forward(input.Span, y.Span, input[0] * input[1], input[2] * input[3]);
        return y;
    }

    public override Tensor Backward(Tensor gradOutput)
    {
        var x = TensorBuffers.RequireSaved(input, nameof(GlobalAvgPool));
        var dx = TensorBuffers.Ensure(ref gradInput, x.Shape);
        GlobalAvgPoolKernel.Backward(gradOutput.Span, dx.Span, x[0] * x[1], x[2] * x[3]);
        return dx;
    }
}
