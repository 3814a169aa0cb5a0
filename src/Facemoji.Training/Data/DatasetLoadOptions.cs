namespace Facemoji.Training.Data;

/// <summary>How <see cref="DatasetLoader"/> reads a dataset.</summary>
public sealed record DatasetLoadOptions
{
    /// <summary>Count and skip bad rows and images instead of stopping at the first (--skip-bad).</summary>
    public bool SkipBad { get; init; }

    /// <summary>The cache folder; null for <see cref="DatasetCache.DefaultDirectory"/>.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>False to neither read nor write the cache.</summary>
    public bool UseCache { get; init; } = true;

    /// <summary>
    /// Told how far decoding has come, (images or rows done, total), from worker threads: the CLI draws a progress
    /// bar from it. A load from the cache reports once, at its end. Null: no report.
    /// </summary>
    public Action<int, int>? Progress { get; init; }
}
