using Facemoji.Engine.Modules;
using Facemoji.Engine.Serialization;
using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Optim;

/// <summary>
/// Updates parameters from their gradients, as torch.optim does. A subclass allocates its buffers once, in its
/// constructor, so that <see cref="Step"/> never allocates. The learning rate is a double, as in PyTorch, and
/// is set from outside by a schedule before each step.
/// </summary>
public abstract class Optimizer
{
    private readonly Parameter[] parameters;
    private double learningRate;

    protected Optimizer(IEnumerable<Parameter> parameters, double learningRate)
    {
        this.parameters = parameters.ToArray();
        if (this.parameters.Length == 0)
        {
            throw new ArgumentException("An optimizer needs at least one parameter.", nameof(parameters));
        }

        if (this.parameters.Distinct(ReferenceEqualityComparer.Instance).Count() != this.parameters.Length)
        {
            throw new ArgumentException("A parameter appears more than once in the optimizer's list.", nameof(parameters));
        }

        LearningRate = learningRate;
        LargestParameterLength = this.parameters.Max(p => p.Value.Length);
    }

    /// <summary>The name stored with the state, so that an AdamW state is never loaded into an SGD.</summary>
    public abstract string Algorithm { get; }

    public IReadOnlyList<Parameter> Parameters => parameters;

    public double LearningRate
    {
        get => learningRate;
        set
        {
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be finite and not negative.");
            }

            learningRate = value;
        }
    }

    /// <summary>Steps taken so far (PyTorch's state["step"]); the first call of <see cref="Step"/> is step 1.</summary>
    public long StepCount { get; private set; }

    /// <summary>Scratch buffers sized for the largest parameter let subclasses work without allocating.</summary>
    protected int LargestParameterLength { get; }

    public void Step()
    {
        StepCount++;
        for (int i = 0; i < parameters.Length; i++)
        {
            Update(i, parameters[i]);
        }
    }

    public void ZeroGrad()
    {
        foreach (var p in parameters)
        {
            p.ZeroGrad();
        }
    }

    /// <summary>Applies step <see cref="StepCount"/> to one parameter from its gradient.</summary>
    protected abstract void Update(int index, Parameter parameter);

    /// <summary>The per-parameter buffers by slot name, each array indexed like <see cref="Parameters"/>.</summary>
    protected abstract IEnumerable<(string Slot, Tensor[] Buffers)> StateSlots();

    public OptimizerState SaveState()
    {
        var buffers = new List<NamedTensor>();
        foreach (var (slot, tensors) in StateSlots())
        {
            for (int i = 0; i < tensors.Length; i++)
            {
                var copy = new Tensor(tensors[i].Shape);
                tensors[i].Span.CopyTo(copy.Span);
                buffers.Add(new NamedTensor($"{slot}.{i}", copy));
            }
        }

        return new OptimizerState(Algorithm, StepCount, LearningRate, buffers);
    }

    /// <summary>Puts back a state from <see cref="SaveState"/>; it must come from the same algorithm and parameter shapes.</summary>
    public void LoadState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Algorithm != Algorithm)
        {
            throw new FacemojiException($"The saved optimizer state is for {state.Algorithm}, but this run uses {Algorithm}.");
        }

        if (state.StepCount < 0)
        {
            throw new FacemojiException($"The saved optimizer state has a negative step count ({state.StepCount}).");
        }

        var saved = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var buffer in state.Buffers)
        {
            if (!saved.TryAdd(buffer.Name, buffer.Value))
            {
                throw new FacemojiException($"The saved optimizer state holds buffer '{buffer.Name}' twice.");
            }
        }

        var slots = StateSlots().ToList();
        int expected = slots.Sum(s => s.Buffers.Length);
        if (saved.Count != expected)
        {
            throw new FacemojiException($"The saved optimizer state has {saved.Count} buffers; this {Algorithm} over {parameters.Length} parameters needs {expected}.");
        }

        // Check everything before changing anything, so that a bad state leaves the optimizer as it was.
        foreach (var (slot, tensors) in slots)
        {
            for (int i = 0; i < tensors.Length; i++)
            {
                string name = $"{slot}.{i}";
                if (!saved.TryGetValue(name, out var value))
                {
                    throw new FacemojiException($"The saved optimizer state lacks buffer '{name}'.");
                }

                if (!value.HasShape(tensors[i].Shape))
                {
                    throw new FacemojiException($"The saved optimizer buffer '{name}' has shape [{string.Join(", ", value.Shape)}], the parameter has [{string.Join(", ", tensors[i].Shape)}].");
                }
            }
        }

        foreach (var (slot, tensors) in slots)
        {
            for (int i = 0; i < tensors.Length; i++)
            {
                saved[$"{slot}.{i}"].Span.CopyTo(tensors[i].Span);
            }
        }

        StepCount = state.StepCount;
        LearningRate = state.LearningRate;
    }
}
