using Facemoji.Engine.Kernels;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Modules;

/// <summary>
/// Conv2d → BatchNorm2d (→ ReLU), fused. Training: the convolution, then one BN pass that also applies the ReLU;
/// backward masks and reduces in one pass. Evaluation: the BatchNorm is folded into the convolution as a per-channel
/// scale and bias on its output (the algebra of <see cref="BatchNormFolding"/>, without copying the weights), so
/// inference is one GEMM per image group with a scale+bias+ReLU epilogue.
/// Parameters are those of the children "conv" and "bn", as nn.Sequential(conv, bn, relu) would name them
/// under a module with those attribute names.
/// </summary>
public sealed class ConvBn : Module
{
    private Tensor? input, convOutput, output, gradConvOutput, gradInput;
    private float[]? foldedScale, foldedBias;
    private bool forwardWasTraining;

    public ConvBn(int inChannels, int outChannels, int kernelSize, SeededRandom rng, int stride = 1, int padding = 0, bool relu = true)
    {
        Conv = new Conv2d(inChannels, outChannels, kernelSize, rng, stride, padding, bias: false);
        Norm = new BatchNorm2d(outChannels);
        Relu = relu;
    }

    public Conv2d Conv { get; }

    public BatchNorm2d Norm { get; }

    public bool Relu { get; }

    /// <summary>See <see cref="Conv2d.ComputeInputGradient"/>.</summary>
    public bool ComputeInputGradient
    {
        get => Conv.ComputeInputGradient;
        set => Conv.ComputeInputGradient = value;
    }

    public override Tensor Forward(Tensor input)
    {
        var g = Conv.Prepare(input);
        this.input = input;
        var y = TensorBuffers.Ensure(ref output, [g.Batch, g.OutChannels, g.OutHeight, g.OutWidth]);
        forwardWasTraining = IsTraining;
        if (IsTraining)
        {
            var z = TensorBuffers.Ensure(ref convOutput, y.Shape);
            Conv2dKernel.Forward(input.Data, Conv.Weight.Value.Data, Conv.Bias?.Value.Data, z.Data, g, Conv.Scratch);
            Norm.ForwardInto(z, y, g.Batch, g.ColumnCols, Relu);
        }
        else
        {
            // BatchNorm folded into the convolution's output side: y = s·(w ∗ x) + ((b − μ)·s + β) with s = γ/√(var + eps),
            // applied with the ReLU in the GEMM epilogue. Computed afresh each forward from the current parameters
            // (Cout values, so never stale and never a copy of the weights).
            var s = TensorBuffers.Ensure(ref foldedScale, g.OutChannels);
            var b = TensorBuffers.Ensure(ref foldedBias, g.OutChannels);
            for (int co = 0; co < g.OutChannels; co++)
            {
                s[co] = Norm.Weight.Value.Data[co] / MathF.Sqrt(Norm.RunningVar.Data[co] + Norm.Eps);
                float convBias = Conv.Bias == null ? 0f : Conv.Bias.Value.Data[co];
                b[co] = ((convBias - Norm.RunningMean.Data[co]) * s[co]) + Norm.Bias.Value.Data[co];
            }

            Conv2dKernel.Forward(input.Data, Conv.Weight.Value.Data, s, b, y.Data, g, Conv.Scratch, Relu);
        }

        return y;
    }

    public override Tensor Backward(Tensor gradOutput)
    {
        var x = TensorBuffers.RequireSaved(input, nameof(ConvBn));
        if (!forwardWasTraining)
        {
            throw new InvalidOperationException("ConvBn folds its BatchNorm in evaluation mode and has no backward there; call Train() before a forward that will be differentiated.");
        }

        var g = Conv.Geometry;
        var z = convOutput!;
        var dz = TensorBuffers.Ensure(ref gradConvOutput, z.Shape);
        Norm.BackwardInto(z, output, gradOutput, dz, g.Batch, g.ColumnCols, Relu);
        var dx = TensorBuffers.Ensure(ref gradInput, x.Shape);
        Conv2dKernel.Backward(x.Data, Conv.Weight.Value.Data, dz.Data, ComputeInputGradient ? dx.Data : null, Conv.Weight.Grad.Data, Conv.Bias?.Grad.Data, g, Conv.Scratch);
        return dx;
    }

    public override IEnumerable<(string Name, Module Module)> Children() => [("conv", Conv), ("bn", Norm)];
}
