namespace Facemoji.Training.Data;

/// <summary>A loaded dataset and how the load went: from the cache or not, the cache file's size, the time taken, what was skipped.</summary>
public sealed record DatasetLoadResult(
    DatasetSplits Splits,
    bool FromCache,
    string? CachePath,
    long CacheBytes,
    TimeSpan LoadTime,
    SkippedRecords Skipped)
{
    /// <summary>"loaded 35887 images (train 28709, test 7178) in 0.4 s from cache .cache/datasets/ab12.fmjdata (82.7 MB)".</summary>
    public string Describe()
    {
        string parts = string.Join(", ", Splits.Names.Select(n => $"{n} {Splits.Get(n).Count}"));
        string origin = CachePath is null
            ? "(cache off)"
            : FromCache
                ? $"from cache {CachePath} ({CacheBytes / 1e6:F1} MB)"
                : $"decoded; cached in {CachePath} ({CacheBytes / 1e6:F1} MB)";
        string skipped = Skipped.Count > 0 ? $"; skipped {Skipped.Count} bad records" : string.Empty;
        return $"loaded {Splits.TotalCount} images ({parts}) in {LoadTime.TotalSeconds:F1} s {origin}{skipped}";
    }
}
