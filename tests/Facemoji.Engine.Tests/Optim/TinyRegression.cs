using Facemoji.Engine.Modules;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Tests.Optim;

/// <summary>
/// A test-only module: y = x·Wᵀ + b for x (N, In), with a decayed weight (Out, In), an undecayed bias (Out) and a
/// buffer of running input means (In), updated in training like BatchNorm's. Small enough to check by hand.
/// </summary>
public sealed class TinyRegression : Module
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Tensor runningMean;
    private Tensor? input;
    private Tensor? output;
    private Tensor? gradInput;

    public TinyRegression(int inputs, int outputs, SeededRandom random)
    {
        weight = new Parameter("weight", new Tensor(outputs, inputs));
        bias = new Parameter("bias", new Tensor(outputs), applyWeightDecay: false);
        runningMean = new Tensor(inputs);
        foreach (ref float w in weight.Value.Span)
        {
            w = random.NextFloat(-0.5f, 0.5f);
        }
    }

    public Parameter Weight => weight;

    public Parameter Bias => bias;

    public int Inputs => weight.Value[1];

    public int Outputs => weight.Value[0];

    public override Tensor Forward(Tensor x) // x (N, In) -> y (N, Out)
    {
        int n = x[0];
        input = x;
        output ??= new Tensor(n, Outputs);
        var w = weight.Value.Span;
        for (int s = 0; s < n; s++)
        {
            for (int o = 0; o < Outputs; o++)
            {
                float sum = bias.Value.Data[o];
                for (int i = 0; i < Inputs; i++)
                {
                    sum += w[o * Inputs + i] * x.Data[s * Inputs + i];
                }

                output.Data[s * Outputs + o] = sum;
            }
        }

        if (IsTraining)
        {
            for (int i = 0; i < Inputs; i++)
            {
                float mean = 0;
                for (int s = 0; s < n; s++)
                {
                    mean += x.Data[s * Inputs + i];
                }

                runningMean.Data[i] = 0.9f * runningMean.Data[i] + 0.1f * (mean / n);
            }
        }

        return output;
    }

    public override Tensor Backward(Tensor gradOutput) // gradOutput (N, Out) -> gradInput (N, In)
    {
        var x = input ?? throw new InvalidOperationException("Backward before Forward.");
        int n = x[0];
        gradInput ??= new Tensor(n, Inputs);
        gradInput.Clear();
        for (int s = 0; s < n; s++)
        {
            for (int o = 0; o < Outputs; o++)
            {
                float g = gradOutput.Data[s * Outputs + o];
                bias.Grad.Data[o] += g;
                for (int i = 0; i < Inputs; i++)
                {
                    weight.Grad.Data[o * Inputs + i] += g * x.Data[s * Inputs + i];
                    gradInput.Data[s * Inputs + i] += g * weight.Value.Data[o * Inputs + i];
                }
            }
        }

        return gradInput;
    }

    protected override IEnumerable<Parameter> OwnParameters() => [weight, bias];

    protected override IEnumerable<(string Name, Tensor Value)> OwnBuffers() => [("running_mean", runningMean)];
}
