namespace Facemoji.Pipeline.Batch;

/// <summary>How a batch runs: which share of the inputs, where the results go, and whether to continue a results file.</summary>
public sealed record BatchSettings
{
    public ShardSpec Shard { get; init; } = ShardSpec.All;

    /// <summary>The JSONL results file (appended and flushed line by line); null for none.</summary>
    public string? ResultsPath { get; init; }

    /// <summary>Skip the inputs already in <see cref="ResultsPath"/> rather than refusing a file that holds results.</summary>
    public bool Resume { get; init; }

    /// <summary>Where annotated copies go (mirroring the inputs' relative paths); null to write none.</summary>
    public string? OutputFolder { get; init; }

    /// <summary>Take the photos in the input folders' sub-folders too (`image --recursive`; video batches read a folder's top level).</summary>
    public bool Recursive { get; init; }
}
