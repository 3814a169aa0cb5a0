using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Modules;

/// <summary>A trainable tensor and its gradient. Backward passes add into <see cref="Grad"/>; <see cref="ZeroGrad"/> clears it.</summary>
public sealed class Parameter
{
    public Parameter(string name, Tensor value, bool applyWeightDecay = true)
    {
        Name = name;
        Value = value;
        Grad = new Tensor(value.Shape);
        ApplyWeightDecay = applyWeightDecay;
    }

    /// <summary>The name within its module ("weight", "bias"); <see cref="Module.NamedParameters"/> gives the dotted path.</summary>
    public string Name { get; }

    public Tensor Value { get; }

    public Tensor Grad { get; }

    /// <summary>False for biases and BatchNorm affine parameters, which conventionally get no weight decay.</summary>
    public bool ApplyWeightDecay { get; }

    public void ZeroGrad() => Grad.Clear();
}
