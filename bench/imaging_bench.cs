#:project ../src/Facemoji.Benchmarks/Facemoji.Benchmarks.csproj
#:property PublishAot=false
// Our codecs (through ImageCodecs) on the workloads of bench/imaging_opencv.py (see bench/imaging_compare.sh);
// single-threaded. The same figures as `facemoji bench imaging`:
//   dotnet run -c Release bench/imaging_bench.cs [astronaut.png] [jpeg folder]
using Facemoji.Benchmarks.Imaging;

Facemoji.Engine.Threading.ParallelRows.MaxDegreeOfParallelism = 1; // the resizer is row-parallel; OpenCV runs on one thread
string png = args.Length > 0 ? args[0] : ImagingBenchmark.DefaultPng;
string folder = args.Length > 1 ? args[1] : ImagingBenchmark.DefaultJpegFolder;
var jpegs = Directory.Exists(folder) ? ImagingBenchmark.ReadJpegs(folder) : ImagingBenchmark.SyntheticJpegs(png);
var r = ImagingBenchmark.Run(png, jpegs);
Console.WriteLine($"facemoji jpeg 48x48 gray: {r.JpegGrayDecodesPerSecond:F0} decodes/s ({r.JpegFiles} files{(Directory.Exists(folder) ? " from " + folder : ", crops of the sample photo")})");
Console.WriteLine($"facemoji png {r.PngName} {r.PngWidth}x{r.PngHeight}: {r.PngRgbaMilliseconds:F2} ms RGBA, {r.PngGrayMilliseconds:F2} ms gray");
Console.WriteLine($"facemoji jpeg q90 of it: {r.JpegRgbaMilliseconds:F2} ms RGBA decode");
Console.WriteLine($"facemoji encode: {r.PngEncodeMilliseconds:F2} ms PNG, {r.JpegEncodeMilliseconds:F2} ms JPEG q90");
Console.WriteLine($"skia's jpeg codec: {r.SkiaJpegGrayDecodesPerSecond:F0} gray decodes/s, {r.SkiaJpegRgbaMilliseconds:F2} ms RGBA decode, {r.SkiaJpegEncodeMilliseconds:F2} ms encode q90");
Console.WriteLine($"facemoji resize: {r.ResizeHalfMilliseconds:F2} ms half (area), {r.ResizeDoubleMilliseconds:F2} ms double (bilinear)");
