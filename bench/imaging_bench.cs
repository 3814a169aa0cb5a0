#:project ../src/Facemoji.Benchmarks/Facemoji.Benchmarks.csproj
#:property PublishAot=false
// Our codecs on the workloads of bench/imaging_opencv.py (see bench/imaging_compare.sh); single-threaded:
//   dotnet run -c Release bench/imaging_bench.cs [astronaut.png] [jpeg folder]
using Facemoji.Benchmarks.Imaging;

string png = args.Length > 0 ? args[0] : ImagingBenchmark.DefaultPng;
string folder = args.Length > 1 ? args[1] : ImagingBenchmark.DefaultJpegFolder;
var jpegs = Directory.Exists(folder) ? ImagingBenchmark.ReadJpegs(folder) : ImagingBenchmark.SyntheticJpegs(png);
var result = ImagingBenchmark.Run(png, jpegs);
Console.WriteLine($"facemoji jpeg 48x48 gray: {result.JpegGrayDecodesPerSecond:F0} decodes/s ({result.JpegFiles} files{(Directory.Exists(folder) ? " from " + folder : ", crops of the sample photo")})");
Console.WriteLine($"facemoji png {result.PngName} {result.PngWidth}x{result.PngHeight}: {result.PngRgbaMilliseconds:F2} ms RGBA, {result.PngGrayMilliseconds:F2} ms gray");
