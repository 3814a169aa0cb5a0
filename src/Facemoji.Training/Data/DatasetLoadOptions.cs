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
}
