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
    private float[]? foldedScale, foldedBias, packedWeights, directScratch, winogradWeights, winogradScratch, scaledWeights;
    private bool forwardWasTraining, packedWeightsValid, winogradWeightsValid, scaledWeightsValid;
    private int winogradTile;

    /// <summary>
    /// Evaluation batches up to this size run the direct convolution (<see cref="DirectConvKernel"/>, one image at a
    /// time on the calling thread); larger ones split their images over the threads (<see cref="DirectConvBatches"/>).
    /// Strided layers run the im2col GEMM at every batch size, and stride-1 3x3 layers on maps of 6x6 or more
    /// run <see cref="ChannelLastWinogradKernel"/> at every batch size.
    /// </summary>
    public const int DirectMaxBatch = 4;

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
            packedWeightsValid = false;
            winogradWeightsValid = false;
            scaledWeightsValid = false;
            var z = TensorBuffers.Ensure(ref convOutput, y.Shape);
            if (g.Batch > DirectMaxBatch && DirectConvKernel.Supports(g))
            {
                // The direct kernel is faster than im2col + GEMM here too; the weights change every step, so they
                // are packed every forward (Cout·Cin·9 floats, small next to the convolution).
                TensorBuffers.Ensure(ref packedWeights, DirectConvKernel.PackedWeightLength(g));
                DirectConvKernel.PackWeights(Conv.Weight.Value.Data, ReadOnlySpan<float>.Empty, packedWeights!, g);
                var scratch = TensorBuffers.Ensure(ref directScratch, DirectConvBatches.ScratchLength(g));
                DirectConvBatches.Forward(input.Data, packedWeights!, Conv.Bias?.Value.Data, z.Data, g, scratch, relu: false);
            }
            else
            {
                Conv2dKernel.Forward(input.Data, Conv.Weight.Value.Data, Conv.Bias?.Value.Data, z.Data, g, Conv.Scratch);
            }

            Norm.ForwardInto(z, y, g.Batch, g.ColumnCols, Relu);
        }
        else
        {
            // BatchNorm folded into the convolution's output side: y = s·(w ∗ x) + ((b − μ)·s + β) with s = γ/√(var + eps).
            if (ChannelLastWinogradKernel.Pays(g))
            {
                // Stride-1 3x3 layers on 6x6 or larger maps: Winograd F(2x2,3x3), channel-last, with the scale in
                // weights transformed once per Eval() and bias + ReLU in its output transform; images over the threads.
                // F(4x4,3x3) on maps of 12x12 or more (ChannelLastWinogradKernel.OutputTile); the map size can change
                // between forwards, so the transformed weights remember their tile.
                int tile = ChannelLastWinogradKernel.OutputTile(g);
                if (!winogradWeightsValid || winogradTile != tile)
                {
                    FoldScaleAndBias(g.OutChannels);
                    TensorBuffers.Ensure(ref winogradWeights, ChannelLastWinogradKernel.TransformedWeightLength(g, tile));
                    ChannelLastWinogradKernel.TransformWeights(Conv.Weight.Value.Data, foldedScale!, winogradWeights!, g, tile);
                    winogradWeightsValid = true;
                    winogradTile = tile;
                }

                var scratch = TensorBuffers.Ensure(ref winogradScratch, ChannelLastWinogradKernel.BatchScratchLength(g, tile));
                ChannelLastWinogradKernel.Forward(input.Data, winogradWeights!, foldedBias!, y.Data, g, scratch, Relu, tile);
            }
            else if (g.Batch <= DirectMaxBatch && FewChannelConvKernel.Pays(g))
            {
                // The first layer (one input channel) at small batches: lanes along output pixels,
                // the scale multiplied into weights once per Eval().
                if (!scaledWeightsValid)
                {
                    FoldScaleAndBias(g.OutChannels);
                    TensorBuffers.Ensure(ref scaledWeights, g.WeightLength);
                    FewChannelConvKernel.ScaleWeights(Conv.Weight.Value.Data, foldedScale!, scaledWeights!, g);
                    scaledWeightsValid = true;
                }

                var scratch = TensorBuffers.Ensure(ref directScratch, FewChannelConvKernel.ScratchLength(g));
                FewChannelConvKernel.Forward(input.Data, scaledWeights!, foldedBias!, y.Data, g, scratch, Relu);
            }
            else if (DirectConvKernel.Supports(g))
            {
                // The direct kernel with the scale multiplied into weights packed once per Eval() (parameters
                // are fixed while evaluating; Train()/Eval() or a training forward repack them). Small batches
                // run on the calling thread, larger ones split their images over the threads.
                if (!packedWeightsValid)
                {
                    FoldScaleAndBias(g.OutChannels);
                    TensorBuffers.Ensure(ref packedWeights, DirectConvKernel.PackedWeightLength(g));
                    DirectConvKernel.PackWeights(Conv.Weight.Value.Data, foldedScale!, packedWeights!, g);
                    packedWeightsValid = true;
                }

                if (g.Batch <= DirectMaxBatch)
                {
                    var scratch = TensorBuffers.Ensure(ref directScratch, DirectConvKernel.ScratchLength(g));
                    DirectConvKernel.Forward(input.Data, packedWeights!, foldedBias!, y.Data, g, scratch, Relu);
                }
                else
                {
                    var scratch = TensorBuffers.Ensure(ref directScratch, DirectConvBatches.ScratchLength(g));
                    DirectConvBatches.Forward(input.Data, packedWeights!, foldedBias!, y.Data, g, scratch, Relu);
                }
            }
            else
            {
                // Applied with the ReLU in the GEMM epilogue; computed afresh each forward from the current
                // parameters (Cout values, so never stale and never a copy of the weights).
                FoldScaleAndBias(g.OutChannels);
                Conv2dKernel.Forward(input.Data, Conv.Weight.Value.Data, foldedScale, foldedBias, y.Data, g, Conv.Scratch, Relu);
            }
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

    protected override void OnTrainingChanged()
    {
        packedWeightsValid = false;
        winogradWeightsValid = false;
        scaledWeightsValid = false;
    }

    private void FoldScaleAndBias(int outChannels)
    {
        var s = TensorBuffers.Ensure(ref foldedScale, outChannels);
        var b = TensorBuffers.Ensure(ref foldedBias, outChannels);
        for (int co = 0; co < outChannels; co++)
        {
            s[co] = Norm.Weight.Value.Data[co] / MathF.Sqrt(Norm.RunningVar.Data[co] + Norm.Eps);
            float convBias = Conv.Bias == null ? 0f : Conv.Bias.Value.Data[co];
            b[co] = ((convBias - Norm.RunningMean.Data[co]) * s[co]) + Norm.Bias.Value.Data[co];
        }
    }

    public override IEnumerable<(string Name, Module Module)> Children() => [("conv", Conv), ("bn", Norm)];
}
