using System.Numerics.Tensors;
using Facemoji.Engine.Modules;
using Tensor = Facemoji.Engine.Tensors.Tensor;

namespace Facemoji.Engine.Optim;

/// <summary>
/// Stochastic gradient descent with PyTorch's torch.optim.SGD semantics: weight decay is coupled (wd·param is
/// added to the gradient, except for parameters with <see cref="Parameter.ApplyWeightDecay"/> false), the
/// momentum buffer starts as a copy of the first step's direction, and Nesterov looks ahead along the buffer:
/// <code>
/// d = g + wd·p;  buf = step 1 ? d : momentum·buf + (1 − dampening)·d;  d = nesterov ? d + momentum·buf : buf;  p −= lr·d
/// </code>
/// The gradients are left untouched.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly float momentum;
    private readonly float dampening;
    private readonly float weightDecay;
    private readonly bool nesterov;
    private readonly Tensor[] momentumBuffers;
    private readonly float[] direction;

    public Sgd(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, learningRate)
    {
        if (!(momentum >= 0 && momentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        }

        if (!(dampening >= 0 && dampening <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(dampening), dampening, "Dampening must be in [0, 1].");
        }

        if (!(weightDecay >= 0 && double.IsFinite(weightDecay)))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be finite and not negative.");
        }

        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum requires a momentum above zero and zero dampening (as in PyTorch).", nameof(nesterov));
        }

        this.momentum = (float)momentum;
        this.dampening = (float)dampening;
        this.weightDecay = (float)weightDecay;
        this.nesterov = nesterov;
        momentumBuffers = momentum > 0 ? Parameters.Select(p => new Tensor(p.Value.Shape)).ToArray() : [];
        direction = new float[LargestParameterLength];
    }

    public override string Algorithm => "sgd";

    /// <summary>The momentum factor (0: plain SGD).</summary>
    public double Momentum => momentum;

    protected override void Update(int index, Parameter parameter)
    {
        Span<float> p = parameter.Value.Span;
        ReadOnlySpan<float> g = parameter.Grad.Span;
        Span<float> d = direction.AsSpan(0, p.Length);

        // d = g + wd·p (a new tensor in PyTorch too: the gradient stays as it was).
        float decay = parameter.ApplyWeightDecay ? weightDecay : 0f;
        if (decay != 0f)
        {
            TensorPrimitives.MultiplyAdd(p, decay, g, d);
        }
        else
        {
            g.CopyTo(d);
        }

        if (momentum != 0f)
        {
            Span<float> buf = momentumBuffers[index].Span;
            if (StepCount == 1)
            {
                d.CopyTo(buf);
            }
            else if (dampening == 0f)
            {
                TensorPrimitives.MultiplyAdd(buf, momentum, d, buf);
            }
            else
            {
                TensorPrimitives.Multiply(buf, momentum, buf);
                TensorPrimitives.MultiplyAdd(d, 1f - dampening, buf, buf);
            }

            if (nesterov)
            {
                TensorPrimitives.MultiplyAdd(buf, momentum, d, d);
            }
            else
            {
                buf.CopyTo(d);
            }
        }

        TensorPrimitives.MultiplyAdd(d, (float)-LearningRate, p, p);
    }

    protected override IEnumerable<(string Slot, Tensor[] Buffers)> StateSlots()
    {
        if (momentumBuffers.Length > 0)
        {
            yield return ("momentum", momentumBuffers);
        }
    }
}
