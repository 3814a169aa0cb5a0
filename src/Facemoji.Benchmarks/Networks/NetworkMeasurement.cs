namespace Facemoji.Benchmarks.Networks;

/// <summary>
/// One benchmark result: the median seconds per step (a training step, or one inference forward of a batch) over
/// the samples, and the process's peak working set at the end.
/// </summary>
public sealed record NetworkMeasurement(
    string Benchmark, string Architecture, int Batch, int Threads, double MedianSecondsPerStep, double BestSecondsPerStep,
    int Samples, int StepsPerSample, long PeakWorkingSetBytes, string Detail)
{
    public double ImagesPerSecond => Batch / MedianSecondsPerStep;

    public double MillisecondsPerImage => MedianSecondsPerStep * 1e3 / Batch;
}
