using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Modules;

/// <summary>Modules applied in order; backward runs them in reverse. Children are named "0", "1", … unless named explicitly.</summary>
public sealed class Sequential : Module
{
    private readonly List<(string Name, Module Module)> layers = [];

    public Sequential(params Module[] modules)
    {
        foreach (var m in modules)
        {
            Add(m);
        }
    }

    public int Count => layers.Count;

    public Module this[int index] => layers[index].Module;

    public Sequential Add(Module module, string? name = null)
    {
        layers.Add((name ?? layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module));
        InvalidateStructure();
        return this;
    }

    public override Tensor Forward(Tensor input)
    {
        var x = input;
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].Module.Forward(x);
        }

        return x;
    }

    public override Tensor Backward(Tensor gradOutput)
    {
        var g = gradOutput;
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            g = layers[i].Module.Backward(g);
        }

        return g;
    }

    public override IEnumerable<(string Name, Module Module)> Children() => layers;
}
