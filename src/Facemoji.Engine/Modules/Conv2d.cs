using Facemoji.Engine.Kernels;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Modules;

/// <summary>2-D convolution (N,Cin,H,W) → (N,Cout,OH,OW), square kernel, same stride and padding on both axes, as nn.Conv2d.</summary>
public sealed class Conv2d : Module
{
    private Tensor? input, output, gradInput;
    private float[]? scratch;

    public Conv2d(int inChannels, int outChannels, int kernelSize, SeededRandom rng, int stride = 1, int padding = 0, bool bias = true)
    {
        Geometry = new ConvGeometry(1, inChannels, kernelSize, kernelSize, outChannels, kernelSize, kernelSize, stride, padding);
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0)
        {
            throw new ArgumentException($"Invalid Conv2d({inChannels}, {outChannels}, kernel {kernelSize}, stride {stride}, padding {padding}).");
        }

        int fanIn = inChannels * kernelSize * kernelSize;
        Weight = new Parameter("weight", new Tensor(outChannels, inChannels, kernelSize, kernelSize));
        Init.DefaultUniform(Weight.Value.Span, fanIn, rng);
        if (bias)
        {
            Bias = new Parameter("bias", new Tensor(outChannels), applyWeightDecay: false);
            Init.DefaultUniform(Bias.Value.Span, fanIn, rng);
        }
    }

    public Parameter Weight { get; }

    public Parameter? Bias { get; }

    public int InChannels => Geometry.InChannels;

    public int OutChannels => Geometry.OutChannels;

    public int KernelSize => Geometry.KernelHeight;

    public int Stride => Geometry.Stride;

    public int Padding => Geometry.Padding;

    /// <summary>False on a network's first layer, whose input gradient nobody reads: Backward then skips that work and returns zeros.</summary>
    public bool ComputeInputGradient { get; set; } = true;

    /// <summary>The geometry for the last input (batch 1 and the kernel size before any Forward).</summary>
    internal ConvGeometry Geometry { get; private set; }

    public override Tensor Forward(Tensor input)
    {
        var g = Prepare(input);
        this.input = input;
        var y = TensorBuffers.Ensure(ref output, [g.Batch, g.OutChannels, g.OutHeight, g.OutWidth]);
        Conv2dKernel.Forward(input.Data, Weight.Value.Data, Bias?.Value.Data, y.Data, g, scratch!);
        return y;
    }

    public override Tensor Backward(Tensor gradOutput)
    {
        var x = TensorBuffers.RequireSaved(input, nameof(Conv2d));
        var dx = TensorBuffers.Ensure(ref gradInput, x.Shape);
        Conv2dKernel.Backward(x.Data, Weight.Value.Data, gradOutput.Data, ComputeInputGradient ? dx.Data : null, Weight.Grad.Data, Bias?.Grad.Data, Geometry, scratch!);
        return dx;
    }

    /// <summary>Checks the input, sets <see cref="Geometry"/> for its size and makes sure the scratch is large enough.</summary>
    internal ConvGeometry Prepare(Tensor input)
    {
        TensorBuffers.RequireRank(input, 4, nameof(Conv2d));
        if (input[1] != InChannels)
        {
            throw new ArgumentException($"Conv2d expects {InChannels} input channels, got {input}.");
        }

        var g = Geometry with { Batch = input[0], Height = input[2], Width = input[3] };
        if (g != Geometry)
        {
            g.Validate();
            Geometry = g;
        }

        TensorBuffers.Ensure(ref scratch, Conv2dKernel.ScratchLength(g));
        return g;
    }

    internal float[] Scratch => scratch ?? throw new InvalidOperationException("Conv2d used before Prepare.");

    protected override IEnumerable<Parameter> OwnParameters() => Bias == null ? [Weight] : [Weight, Bias];
}
