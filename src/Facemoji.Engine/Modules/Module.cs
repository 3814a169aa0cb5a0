using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Modules;

/// <summary>
/// A layer or a network. <see cref="Forward"/> keeps what <see cref="Backward"/> needs; Backward takes the
/// gradient of the loss with respect to the output, ADDS the parameter gradients into <see cref="Parameter.Grad"/>,
/// and returns the gradient with respect to the input. Both return tensors the module owns and reuses.
/// </summary>
public abstract class Module
{
    public bool IsTraining { get; private set; } = true;

    public abstract Tensor Forward(Tensor input);

    public abstract Tensor Backward(Tensor gradOutput);

    /// <summary>Direct children, in order, with their names (as PyTorch's named_children).</summary>
    public virtual IEnumerable<(string Name, Module Module)> Children() => [];

    /// <summary>This module's own parameters, not its children's.</summary>
    protected virtual IEnumerable<Parameter> OwnParameters() => [];

    /// <summary>This module's own non-trainable state (BatchNorm running statistics), saved with the model.</summary>
    protected virtual IEnumerable<(string Name, Tensor Value)> OwnBuffers() => [];

    public IEnumerable<Parameter> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Parameters with dotted paths as in a PyTorch state_dict ("0.weight", "block1.conv.weight").</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters(string prefix = "")
    {
        foreach (var p in OwnParameters())
        {
            yield return (prefix + p.Name, p);
        }

        foreach (var (name, child) in Children())
        {
            foreach (var item in child.NamedParameters(prefix + name + "."))
            {
                yield return item;
            }
        }
    }

    public IEnumerable<(string Name, Tensor Value)> NamedBuffers(string prefix = "")
    {
        foreach (var (name, value) in OwnBuffers())
        {
            yield return (prefix + name, value);
        }

        foreach (var (name, child) in Children())
        {
            foreach (var item in child.NamedBuffers(prefix + name + "."))
            {
                yield return item;
            }
        }
    }

    /// <summary>Clears every gradient of this module and its descendants, without allocating (it runs every step).</summary>
    public void ZeroGrad()
    {
        ownParameterCache ??= OwnParameters().ToArray();
        foreach (var p in ownParameterCache)
        {
            p.ZeroGrad();
        }

        childCache ??= Children().Select(c => c.Module).ToArray();
        foreach (var child in childCache)
        {
            child.ZeroGrad();
        }
    }

    /// <summary>Modules whose children or parameters change after construction (Sequential.Add) call this to drop cached lists.</summary>
    protected void InvalidateStructure()
    {
        ownParameterCache = null;
        childCache = null;
    }

    private Parameter[]? ownParameterCache;
    private Module[]? childCache;

    public void Train() => SetTraining(true);

    public void Eval() => SetTraining(false);

    /// <summary>Called by <see cref="Train"/> and <see cref="Eval"/> on every module (caches derived from the parameters drop here).</summary>
    protected virtual void OnTrainingChanged()
    {
    }

    private void SetTraining(bool training)
    {
        IsTraining = training;
        OnTrainingChanged();
        foreach (var (_, child) in Children())
        {
            child.SetTraining(training);
        }
    }
}
