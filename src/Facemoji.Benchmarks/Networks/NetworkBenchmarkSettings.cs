namespace Facemoji.Benchmarks.Networks;

/// <summary>How long the training and inference benchmarks run: warm-up steps (buffers, JIT tiers), then timed samples.</summary>
public sealed record NetworkBenchmarkSettings(int WarmupSteps, int Samples, double SampleSeconds)
{
    /// <summary>Three warm-up steps, then seven samples of at least a second: the median is stable on a busy machine.</summary>
    public static NetworkBenchmarkSettings Full { get; } = new(3, 7, 1.0);

    /// <summary>A short run for smoke tests.</summary>
    public static NetworkBenchmarkSettings Quick { get; } = new(1, 3, 0.2);
}
