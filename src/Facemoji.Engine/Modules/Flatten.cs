using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Modules;

/// <summary>(N, d1, d2, …) → (N, d1·d2·…), a view of the same data (nn.Flatten).</summary>
internal sealed class Flatten : Module
{
    private Tensor? lastInput, flatView, lastGrad, gradView;

    public override Tensor Forward(Tensor input)
    {
        if (!ReferenceEquals(input, lastInput) || flatView == null)
        {
            lastInput = input;
            flatView = input.Reshape(input[0], input.Length / Math.Max(1, input[0]));
        }

        return flatView;
    }

    public override Tensor Backward(Tensor gradOutput)
    {
        var x = TensorBuffers.RequireSaved(lastInput, nameof(Flatten));
        if (!ReferenceEquals(gradOutput, lastGrad) || gradView == null || !gradView.HasShape(x.Shape))
        {
            lastGrad = gradOutput;
            gradView = gradOutput.Reshape(x.Shape);
        }

        return gradView;
    }
}
