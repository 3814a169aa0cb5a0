namespace Facemoji.Benchmarks.Imaging;

/// <summary>
/// Single-threaded codec speed: 48x48 gray JPEG decodes per second (the training-data path) and milliseconds per
/// PNG decode of the sample photo (RGBA and gray), each as the median of the timed repeats.
/// </summary>
public sealed record ImagingBenchmarkResult(
    int JpegFiles,
    double JpegGrayDecodesPerSecond,
    string PngName,
    int PngWidth,
    int PngHeight,
    double PngRgbaMilliseconds,
    double PngGrayMilliseconds);
