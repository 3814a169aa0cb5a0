namespace Facemoji.Benchmarks.Detection;

/// <summary>
/// Milliseconds per frame of each timed repeat (the median is the figure to report), the faces found, and the mean
/// split of a frame between building the pyramid (resize + integral tables) and scanning windows.
/// </summary>
public sealed record DetectionBenchmarkResult(
    string Cascade,
    int Width,
    int Height,
    int FramesPerRepeat,
    IReadOnlyList<double> MillisecondsPerFrame,
    int Faces,
    double PyramidMilliseconds,
    double ScanMilliseconds)
{
    public double MedianMillisecondsPerFrame
    {
        get
        {
            double[] sorted = [.. MillisecondsPerFrame.Order()];
            return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
        }
    }
}
