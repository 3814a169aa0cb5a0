using System.Numerics.Tensors;
using Facemoji.Engine.Modules;
using Tensor = Facemoji.Engine.Tensors.Tensor;

namespace Facemoji.Engine.Optim;

/// <summary>
/// Adam with decoupled weight decay, step for step as torch.optim.AdamW (its single-tensor path, amsgrad off):
/// <code>
/// p *= 1 − lr·wd;  m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²
/// p −= (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
/// </code>
/// Parameters with <see cref="Parameter.ApplyWeightDecay"/> false get no decay. The scalars are computed in
/// double and rounded to float where PyTorch hands them to a float kernel.
/// </summary>
public sealed class AdamW : Optimizer
{
    private readonly double beta1;
    private readonly double beta2;
    private readonly double epsilon;
    private readonly double weightDecay;
    private readonly Tensor[] firstMoments;
    private readonly Tensor[] secondMoments;
    private readonly float[] scratchA;
    private readonly float[] scratchB;

    public AdamW(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double weightDecay = 1e-2, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        : base(parameters, learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        }

        if (!(beta2 >= 0 && beta2 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        }

        if (!(epsilon >= 0 && double.IsFinite(epsilon)))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be finite and not negative.");
        }

        if (!(weightDecay >= 0 && double.IsFinite(weightDecay)))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be finite and not negative.");
        }

        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        firstMoments = Parameters.Select(p => new Tensor(p.Value.Shape)).ToArray();
        secondMoments = Parameters.Select(p => new Tensor(p.Value.Shape)).ToArray();
        scratchA = new float[LargestParameterLength];
        scratchB = new float[LargestParameterLength];
    }

    public override string Algorithm => "adamw";

    /// <summary>β1, the decay of the first-moment estimate.</summary>
    public double Beta1 => beta1;

    protected override void Update(int index, Parameter parameter)
    {
        Span<float> p = parameter.Value.Span;
        ReadOnlySpan<float> g = parameter.Grad.Span;
        Span<float> m = firstMoments[index].Span;
        Span<float> v = secondMoments[index].Span;
        Span<float> a = scratchA.AsSpan(0, p.Length);
        Span<float> b = scratchB.AsSpan(0, p.Length);
        double lr = LearningRate;

        if (parameter.ApplyWeightDecay && weightDecay != 0)
        {
            TensorPrimitives.Multiply(p, (float)(1 - lr * weightDecay), p);
        }

        // m.mul_(β1).add_(g, alpha=1 − β1)
        TensorPrimitives.Multiply(m, (float)beta1, m);
        TensorPrimitives.MultiplyAdd(g, (float)(1 - beta1), m, m);

        // v.mul_(β2).addcmul_(g, g, value=1 − β2), which ATen evaluates as v + (value·g)·g
        TensorPrimitives.Multiply(v, (float)beta2, v);
        TensorPrimitives.Multiply(g, (float)(1 - beta2), a);
        TensorPrimitives.MultiplyAdd(a, g, v, v);

        double biasCorrection1 = 1 - Math.Pow(beta1, StepCount);
        double biasCorrection2 = 1 - Math.Pow(beta2, StepCount);
        double stepSize = lr / biasCorrection1;

        // denom = √v / √bc2 + ε
        TensorPrimitives.Sqrt(v, a);
        TensorPrimitives.Divide(a, (float)Math.Sqrt(biasCorrection2), a);
        TensorPrimitives.Add(a, (float)epsilon, a);

        // p.addcdiv_(m, denom, value=−step_size), which ATen evaluates as p + (value·m) / denom
        TensorPrimitives.Multiply(m, (float)-stepSize, b);
        TensorPrimitives.Divide(b, a, b);
        TensorPrimitives.Add(p, b, p);
    }

    protected override IEnumerable<(string Slot, Tensor[] Buffers)> StateSlots()
    {
        yield return ("exp_avg", firstMoments);
        yield return ("exp_avg_sq", secondMoments);
    }
}
