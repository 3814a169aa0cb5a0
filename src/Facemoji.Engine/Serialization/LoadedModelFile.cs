using Facemoji.Engine.Modules;
using Facemoji.Engine.Networks;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Serialization;

/// <summary>A model file read into memory: its header and tensors, ready to be copied into a freshly built network.</summary>
public sealed class LoadedModelFile
{
    internal LoadedModelFile(string path, uint formatVersion, ModelHeader header, IReadOnlyList<NamedTensor> tensors)
    {
        Path = path;
        FormatVersion = formatVersion;
        Header = header;
        Tensors = tensors;
    }

    /// <summary>The file it came from, for messages.</summary>
    public string Path { get; }

    public uint FormatVersion { get; }

    public ModelHeader Header { get; }

    /// <summary>The stored tensors in file order (parameters, then buffers).</summary>
    public IReadOnlyList<NamedTensor> Tensors { get; }

    public Tensor this[string name] =>
        Tensors.FirstOrDefault(t => t.Name == name)?.Value ?? throw new KeyNotFoundException($"{Path} holds no tensor '{name}'.");

    /// <summary>
    /// Builds the network the header names, loads the stored weights into it and switches it to evaluation
    /// mode: what every reader of a trained model (the pipeline, the evaluator) needs. Each call gives a new
    /// network with its own buffers, so each thread can have one.
    /// </summary>
    public Module CreateEvalNetwork()
    {
        // The seed does not matter: every parameter and buffer is overwritten by the stored tensors.
        var network = Architectures.Create(Header.Architecture, new SeededRandom(0));
        LoadInto(network);
        network.Eval();
        return network;
    }

    /// <summary>The first NaN or infinite value among the stored tensors, or null.</summary>
    private (string Name, int Index, float Value)? FirstNonFinite()
    {
        foreach (var tensor in Tensors)
        {
            ReadOnlySpan<float> values = tensor.Value.Span;
            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                {
                    return (tensor.Name, i, values[i]);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Copies every stored tensor into the module's parameter or buffer of the same name. Every name and shape
    /// must match both ways; otherwise nothing is copied and the error names the first mismatch.
    /// </summary>
    public void LoadInto(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var targets = ModelFile.StateTensors(model);
        var stored = Tensors.ToDictionary(t => t.Name, t => t.Value, StringComparer.Ordinal);
        string network = $"the '{Header.Architecture}' network";
        var problems = new List<string>();
        foreach (var target in targets)
        {
            if (!stored.TryGetValue(target.Name, out var value))
            {
                problems.Add($"{network} has '{target.Name}' [{string.Join(", ", target.Value.Shape)}], which the file lacks");
            }
            else if (!value.HasShape(target.Value.Shape))
            {
                problems.Add($"'{target.Name}' is [{string.Join(", ", value.Shape)}] in the file, but [{string.Join(", ", target.Value.Shape)}] in {network}");
            }
        }

        var expected = targets.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(Tensors.Where(t => !expected.Contains(t.Name)).Select(t => $"the file has '{t.Name}', which {network} lacks"));
        if (problems.Count == 0 && FirstNonFinite() is { } bad)
        {
            // A valid checksum only proves the file is what was written; a diverged run writes NaN honestly.
            throw new ModelFileException(Path, $"holds a weight that is not a finite number: '{bad.Name}'[{bad.Index}] is {bad.Value}; the run that wrote it diverged, retrain or pick another model.");
        }

        if (problems.Count > 0)
        {
            string more = problems.Count > 1 ? $" ({problems.Count - 1} more mismatches)" : "";
            throw new ModelFileException(Path, $"does not fit the network it is loaded into: {problems[0]}{more}.");
        }

        foreach (var target in targets)
        {
            stored[target.Name].Span.CopyTo(target.Value.Span);
        }
    }
}
