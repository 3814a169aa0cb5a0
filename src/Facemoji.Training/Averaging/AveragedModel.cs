namespace Facemoji.Training.Averaging;

/// <summary>What <see cref="ModelAveraging.Average"/> wrote: the output file, the inputs with their checksums, and how many tensors and values it averaged.</summary>
public sealed record AveragedModel(string OutputPath, string Architecture, IReadOnlyList<(string Path, string Sha256)> Inputs, int Tensors, long Values)
{
    /// <summary>"averaged 5 bench-vgg8 models (23 tensors, 1,176,279 values) into soup.fmj".</summary>
    public string Describe() =>
        $"averaged {Inputs.Count} {Architecture} models ({Tensors} tensors, {Values:N0} values) into {OutputPath}";
}
