using Facemoji.Engine;

namespace Facemoji.Training.Data;

/// <summary>
/// The named splits of one data source: "train", "val" and "test" (Kaggle CSV: Training, PublicTest,
/// PrivateTest; a dataset root: train/, val/, test/), or a single split "all" for a CSV without a Usage
/// column or a plain folder of class folders.
/// </summary>
public sealed class DatasetSplits
{
    public const string Train = "train";
    public const string Validation = "val";
    public const string Test = "test";
    public const string All = "all";

    private readonly Dictionary<string, FerDataset> splits;

    public DatasetSplits(string source, IReadOnlyDictionary<string, FerDataset> splits)
    {
        Source = source;
        this.splits = new Dictionary<string, FerDataset>(splits, StringComparer.Ordinal);
    }

    /// <summary>The file or folder the splits came from.</summary>
    public string Source { get; }

    /// <summary>Split names in the order train, val, test, all (only those present).</summary>
    public IReadOnlyList<string> Names => new[] { Train, Validation, Test, All }.Where(splits.ContainsKey).ToArray();

    /// <summary>True for a source without split information (one split, "all").</summary>
    public bool IsSingleSplit => splits.Count == 1 && splits.ContainsKey(All);

    public int TotalCount => splits.Values.Sum(d => d.Count);

    /// <summary>The canonical split name for a user's spelling (train/training, val/validation/publictest, test/privatetest, all).</summary>
    public static string? Canonicalize(string name) => name.Trim().ToLowerInvariant() switch
    {
        "train" or "training" => Train,
        "val" or "valid" or "validation" or "publictest" => Validation,
        "test" or "privatetest" => Test,
        "all" => All,
        _ => null,
    };

    public bool Contains(string name) => Canonicalize(name) is { } canonical && splits.ContainsKey(canonical);

    public FerDataset? Find(string name) => Canonicalize(name) is { } canonical && splits.TryGetValue(canonical, out var d) ? d : null;

    /// <summary>
    /// The split asked for. A single-split source answers every request with its one split, so that
    /// <c>evaluate --data faces/ --split test</c> works on a plain class folder.
    /// </summary>
    public FerDataset Get(string name)
    {
        string canonical = Canonicalize(name)
            ?? throw new FacemojiException($"Unknown split '{name}'; use train, val or test (or all).");
        if (splits.TryGetValue(canonical, out var dataset))
        {
            return dataset;
        }

        if (IsSingleSplit)
        {
            return splits[All];
        }

        if (canonical == All)
        {
            return Merge();
        }

        throw new FacemojiException($"{Source} has no '{canonical}' split; it has {string.Join(", ", Names)}.");
    }

    /// <summary>All splits in one dataset (train, val, test order).</summary>
    public FerDataset Merge()
    {
        var parts = Names.Select(n => splits[n]).ToArray();
        if (parts.Length == 1)
        {
            return parts[0];
        }

        var pixels = new byte[parts.Sum(p => (long)p.Pixels.Length)];
        var labels = new byte[parts.Sum(p => p.Count)];
        long pixelOffset = 0;
        int labelOffset = 0;
        foreach (var part in parts)
        {
            part.Pixels.CopyTo(pixels, pixelOffset);
            part.Labels.CopyTo(labels, labelOffset);
            pixelOffset += part.Pixels.Length;
            labelOffset += part.Count;
        }

        return new FerDataset(pixels, labels, $"{Source} (all splits)");
    }
}
