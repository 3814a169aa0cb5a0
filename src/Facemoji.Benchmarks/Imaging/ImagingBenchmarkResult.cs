namespace Facemoji.Benchmarks.Imaging;

/// <summary>
/// Single-threaded codec speed through <see cref="Facemoji.Imaging.ImageCodecs"/> (whatever codecs it uses):
/// 48x48 gray JPEG decodes per second (the training-data path), and milliseconds per operation on the sample
/// photo: PNG decode (RGBA and gray), JPEG decode (RGBA), PNG and JPEG encode, and a resize by half (area) and to
/// double size (bilinear). The Skia* figures time Skia's own JPEG codec on the same work: ImageCodecs uses the
/// system's libjpeg-turbo for JPEG where it is installed, and these show why. Each figure is the median of the
/// timed repeats.
/// </summary>
public sealed record ImagingBenchmarkResult(
    int JpegFiles,
    double JpegGrayDecodesPerSecond,
    string PngName,
    int PngWidth,
    int PngHeight,
    double PngRgbaMilliseconds,
    double PngGrayMilliseconds,
    double JpegRgbaMilliseconds,
    double PngEncodeMilliseconds,
    double JpegEncodeMilliseconds,
    double ResizeHalfMilliseconds,
    double ResizeDoubleMilliseconds,
    double SkiaJpegGrayDecodesPerSecond,
    double SkiaJpegRgbaMilliseconds,
    double SkiaJpegEncodeMilliseconds);
