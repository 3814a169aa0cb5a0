namespace Facemoji.Benchmarks.Networks;

/// <summary>
/// One top-level layer of a network in <see cref="NetworkBenchmark.ProfileLayers"/>: its child name and type, the shape
/// of its input, and the shortest of its timed forwards.
/// </summary>
public sealed record LayerTiming(string Name, string Kind, string InputShape, double BestSeconds);
