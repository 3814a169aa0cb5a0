namespace Facemoji.Benchmarks.Networks;

/// <summary>How long the training and inference benchmarks run: warm-up steps (buffers, JIT tiers), then timed samples.</summary>
public sealed record NetworkBenchmarkSettings(int WarmupSteps, double WarmupSeconds, int Samples, double SampleSeconds)
{
    /// <summary>
    /// At least three warm-up steps and two seconds (so tiered compilation has promoted the hot kernels), then seven
    /// samples of at least a second: the median is stable on a busy machine.
    /// </summary>
    public static NetworkBenchmarkSettings Full { get; } = new(3, 2.0, 7, 1.0);

    /// <summary>A short run for smoke tests.</summary>
    public static NetworkBenchmarkSettings Quick { get; } = new(1, 0.5, 3, 0.2);
}
