using System.Text.Json.Serialization;

namespace Facemoji.Engine.Serialization;

/// <summary>
/// The JSON header of a model file: what network to build, what its outputs mean, how to feed it, and where it
/// came from. <see cref="ModelFile.Save"/> and <see cref="ModelFile.Read"/> both check it with <see cref="Validate"/>.
/// </summary>
public sealed record ModelHeader
{
    /// <summary>The architecture name, as the network registry knows it.</summary>
    public required string Architecture { get; init; }

    /// <summary>Settings the registry needs to rebuild the same network (widths, dropout), as text.</summary>
    public IReadOnlyDictionary<string, string> ArchitectureOptions { get; init; } = new Dictionary<string, string>();

    /// <summary>Class names in output order: output i is <c>Labels[i]</c>.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    public required PreprocessingSettings Preprocessing { get; init; }

    /// <summary>
    /// Temperature scaling: probabilities are softmax(logits / T). Fitted on held-out training images
    /// (Training.Calibration). Null in a file that was never calibrated (every file written before calibration
    /// existed): such a file reads with T = 1, the softmax as trained. It never changes which class wins.
    /// </summary>
    public double? Temperature { get; init; }

    /// <summary>The temperature to divide the logits by: <see cref="Temperature"/>, or 1 when the file has none.</summary>
    [JsonIgnore]
    public double SoftmaxTemperature => Temperature ?? 1;

    /// <summary>Evaluation results ("test_accuracy", "macro_f1", ...).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    public DateTimeOffset CreatedUtc { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Free-form facts about the training run (data set, epochs, seed, command line, git commit).</summary>
    public IReadOnlyDictionary<string, string> TrainingInfo { get; init; } = new Dictionary<string, string>();

    /// <summary>The range a fitted temperature may take; outside it the fit (or the file) is wrong.</summary>
    public const double MinTemperature = 0.05, MaxTemperature = 20;

    /// <summary>The first problem that makes this header unusable, or null when it is sound.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Architecture))
        {
            return "the architecture name is empty";
        }

        if (Labels is null || Labels.Count == 0)
        {
            return "the header lists no labels";
        }

        if (Labels.Any(string.IsNullOrWhiteSpace))
        {
            return "a label name is empty";
        }

        if (Labels.Distinct(StringComparer.Ordinal).Count() != Labels.Count)
        {
            return "a label name appears twice";
        }

        var p = Preprocessing;
        if (p is null)
        {
            return "the header has no preprocessing settings";
        }

        if (p.Width is < 1 or > 4096 || p.Height is < 1 or > 4096)
        {
            return $"the input size {p.Width}x{p.Height} is outside 1..4096";
        }

        if (p.Channels is not (1 or 3))
        {
            return $"the input has {p.Channels} channels; 1 (gray) or 3 (RGB) are supported";
        }

        if (p.Mean is null || p.Std is null || p.Mean.Count != p.Channels || p.Std.Count != p.Channels)
        {
            return $"normalisation needs one mean and one std per channel ({p.Channels})";
        }

        if (p.Mean.Any(m => !float.IsFinite(m)) || p.Std.Any(s => !(s > 0) || !float.IsFinite(s)))
        {
            return "a normalisation mean is not finite or a std is not above zero";
        }

        if (string.IsNullOrWhiteSpace(p.CropPolicy))
        {
            return "the crop policy is empty";
        }

        if (Temperature is { } t && (!double.IsFinite(t) || t is < MinTemperature or > MaxTemperature))
        {
            return $"the temperature {t} is outside {MinTemperature}..{MaxTemperature}";
        }

        if (ArchitectureOptions is null || Metrics is null || TrainingInfo is null)
        {
            return "a dictionary in the header is null";
        }

        return null;
    }
}
