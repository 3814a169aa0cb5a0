using System.Text.Json;

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

    /// <summary>The timing fields of the JSON that <c>facemoji bench</c> and the ONNX Runtime side both print.</summary>
    public void WriteTimes(Utf8JsonWriter json)
    {
        json.WriteNumber("batch", Batch);
        json.WriteNumber("threads", Threads);
        json.WriteNumber("median_seconds_per_step", MedianSecondsPerStep);
        json.WriteNumber("best_seconds_per_step", BestSecondsPerStep);
        json.WriteNumber("samples", Samples);
        json.WriteNumber("steps_per_sample", StepsPerSample);
        json.WriteNumber("images_per_second", Math.Round(ImagesPerSecond, 2));
        json.WriteNumber("ms_per_image", Math.Round(MillisecondsPerImage, 4));
        json.WriteNumber("peak_working_set_bytes", PeakWorkingSetBytes);
    }
}
