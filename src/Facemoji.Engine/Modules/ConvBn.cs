using Facemoji.Engine.Kernels;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Modules;

/// <summary>
/// Conv2d → BatchNorm2d (→ ReLU), fused. Training: the convolution, then one BN pass that also applies the ReLU;
/// backward masks and reduces in one pass. Evaluation: the BatchNorm is folded into the convolution's weights and
/// bias (<see cref="BatchNormFolding"/>), so inference is one GEMM per image group with a bias+ReLU epilogue.
/// Parameters are those of the children "conv" and "bn", as nn.Sequential(conv, bn, relu) would name them
/// under a module with those attribute names.
/// </summary>
public sealed class ConvBn : Module
{
    private Tensor? input, convOutput, output, gradConvOutput, gradInput;
    private float[]? foldedWeight, foldedBias;
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
            // Folded afresh on every evaluation forward: cheap (one pass over the weights) and never stale.
            var w = TensorBuffers.Ensure(ref foldedWeight, g.WeightLength);
            var b = TensorBuffers.Ensure(ref foldedBias, g.OutChannels);
            BatchNormFolding.Fold(Conv.Weight.Value.Span, Conv.Bias == null ? default : Conv.Bias.Value.Span, Norm.Weight.Value.Span,
                Norm.Bias.Value.Span, Norm.RunningMean.Span, Norm.RunningVar.Span, Norm.Eps, w, b, g.OutChannels);
            Conv2dKernel.Forward(input.Data, w, b, y.Data, g, Conv.Scratch, Relu);
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
