using Facemoji.Engine.Kernels;
using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Modules;

/// <summary>
/// Batch normalisation over channels of (N,C,H,W) (or (N,C)), as nn.BatchNorm2d: in training, batch statistics
/// (biased variance) and running statistics updated with momentum 0.1 and the unbiased variance; in evaluation,
/// the running statistics. γ starts at 1, β at 0, neither gets weight decay.
/// </summary>
public sealed class BatchNorm2d : Module
{
    private Tensor? input, output, gradInput;
    private bool forwardWasTraining;

    public BatchNorm2d(int channels, float eps = 1e-5f, float momentum = 0.1f)
    {
        if (channels <= 0)
        {
            throw new ArgumentException($"BatchNorm2d needs a positive channel count, got {channels}.");
        }

        Channels = channels;
        Eps = eps;
        Momentum = momentum;
        Weight = new Parameter("weight", new Tensor(channels), applyWeightDecay: false);
        Weight.Value.Span.Fill(1f);
        Bias = new Parameter("bias", new Tensor(channels), applyWeightDecay: false);
        RunningMean = new Tensor(channels);
        RunningVar = new Tensor(channels);
        RunningVar.Span.Fill(1f);
        SavedMean = new float[channels];
        SavedInvStd = new float[channels];
    }

    public int Channels { get; }

    public float Eps { get; }

    public float Momentum { get; }

    public Parameter Weight { get; }

    public Parameter Bias { get; }

    public Tensor RunningMean { get; }

    public Tensor RunningVar { get; }

    /// <summary>The last training batch's mean and 1/sqrt(var + eps), kept for backward.</summary>
    internal float[] SavedMean { get; }

    internal float[] SavedInvStd { get; }

    public override Tensor Forward(Tensor input)
    {
        var (n, s) = Dimensions(input);
        this.input = input;
        var y = TensorBuffers.Ensure(ref output, input.Shape);
        ForwardInto(input, y, n, s, relu: false);
        return y;
    }

    public override Tensor Backward(Tensor gradOutput)
    {
        var x = TensorBuffers.RequireSaved(input, nameof(BatchNorm2d));
        var (n, s) = Dimensions(x);
        var dx = TensorBuffers.Ensure(ref gradInput, x.Shape);
        BackwardInto(x, null, gradOutput, dx, n, s, relu: false);
        return dx;
    }

    /// <summary>y = BN(x) (then ReLU when relu) in the mode this module is in; shared with the fused <see cref="ConvBn"/>.</summary>
    internal void ForwardInto(Tensor x, Tensor y, int n, int s, bool relu)
    {
        forwardWasTraining = IsTraining;
        if (IsTraining)
        {
            BatchNormKernel.ForwardTraining(x.Data, Weight.Value.Data, Bias.Value.Data, y.Data, SavedMean, SavedInvStd,
                RunningMean.Data, RunningVar.Data, Momentum, Eps, n, Channels, s, relu);
        }
        else
        {
            BatchNormKernel.ForwardEval(x.Data, Weight.Value.Data, Bias.Value.Data, RunningMean.Data, RunningVar.Data, y.Data, Eps, n, Channels, s, relu);
        }
    }

    /// <summary>dx from dy for the last forward (y is that forward's output, needed for the ReLU mask when relu).</summary>
    internal void BackwardInto(Tensor x, Tensor? y, Tensor dy, Tensor dx, int n, int s, bool relu)
    {
        if (forwardWasTraining)
        {
            BatchNormKernel.BackwardTraining(x.Data, y?.Data, Weight.Value.Data, SavedMean, SavedInvStd, dy.Data, dx.Data,
                Weight.Grad.Data, Bias.Grad.Data, n, Channels, s, relu);
        }
        else
        {
            BatchNormKernel.BackwardEval(x.Data, y?.Data, Weight.Value.Data, RunningMean.Data, RunningVar.Data, Eps, dy.Data, dx.Data,
                Weight.Grad.Data, Bias.Grad.Data, n, Channels, s, relu);
        }
    }

    internal (int N, int S) Dimensions(Tensor x)
    {
        if ((x.Rank != 4 && x.Rank != 2) || x[1] != Channels)
        {
            throw new ArgumentException($"BatchNorm2d({Channels}) expects (N,{Channels},H,W) or (N,{Channels}), got {x}.");
        }

        if (IsTraining && x[0] * (x.Rank == 4 ? x[2] * x[3] : 1) < 2)
        {
            throw new ArgumentException($"BatchNorm2d in training needs more than one value per channel, got {x}.");
        }

        return (x[0], x.Rank == 4 ? x[2] * x[3] : 1);
    }

    protected override IEnumerable<Parameter> OwnParameters() => [Weight, Bias];

    protected override IEnumerable<(string Name, Tensor Value)> OwnBuffers() => [("running_mean", RunningMean), ("running_var", RunningVar)];
}
