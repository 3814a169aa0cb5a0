using Facemoji.Engine.Kernels;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Modules;

/// <summary>y = x·Wᵀ + b for x (N,In), W (Out,In), as nn.Linear (same default initialisation).</summary>
public sealed class Linear : Module
{
    private Tensor? input, output, gradInput;

    public Linear(int inFeatures, int outFeatures, SeededRandom rng, bool bias = true)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
        {
            throw new ArgumentException($"Invalid Linear({inFeatures}, {outFeatures}).");
        }

        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = new Parameter("weight", new Tensor(outFeatures, inFeatures));
        Init.DefaultUniform(Weight.Value.Span, inFeatures, rng);
        if (bias)
        {
            Bias = new Parameter("bias", new Tensor(outFeatures), applyWeightDecay: false);
            Init.DefaultUniform(Bias.Value.Span, inFeatures, rng);
        }
    }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    public Parameter Weight { get; }

    public Parameter? Bias { get; }

    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 2 || input[1] != InFeatures)
        {
            throw new ArgumentException($"Linear expects (N,{InFeatures}), got {input}.");
        }

        this.input = input;
        var y = TensorBuffers.Ensure(ref output, [input[0], OutFeatures]);
        LinearKernel.Forward(input.Span, Weight.Value.Span, Bias == null ? default : Bias.Value.Span, y.Span, input[0], InFeatures, OutFeatures);
        return y;
    }

    public override Tensor Backward(Tensor gradOutput)
    {
        var x = TensorBuffers.RequireSaved(input, nameof(Linear));
        var dx = TensorBuffers.Ensure(ref gradInput, x.Shape);
        LinearKernel.Backward(x.Span, Weight.Value.Span, gradOutput.Span, dx.Span, Weight.Grad.Span, Bias == null ? default : Bias.Grad.Span, x[0], InFeatures, OutFeatures);
        return dx;
    }

    protected override IEnumerable<Parameter> OwnParameters() => Bias == null ? [Weight] : [Weight, Bias];
}
