namespace Facemoji.Benchmarks.Networks;

/// <summary>One batch size: our measurement, and ONNX Runtime's on the same work when it was asked for.</summary>
public sealed record NetworkComparison(NetworkMeasurement Ours, NetworkMeasurement? Reference);
