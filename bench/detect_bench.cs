#:project ../src/Facemoji.Benchmarks/Facemoji.Benchmarks.csproj
#:property PublishAot=false
// Our detector on the benchmark frame (see bench/detect_compare.sh); until `facemoji bench detect` exists this
// file-based program runs src/Facemoji.Benchmarks/Detection/DetectionBenchmark.cs directly:
//   dotnet run -c Release bench/detect_bench.cs [frame.pgm] [cascade.xml] [threads]
using Facemoji.Benchmarks.Detection;
using Facemoji.Engine.Threading;
using Facemoji.Vision.Detection;

string frame = args.Length > 0 ? args[0] : DetectionBenchmark.DefaultFrame;
string cascade = args.Length > 1 ? args[1] : Facemoji.Vision.Cascades.CascadeClassifier.DefaultPath;
if (args.Length > 2)
{
    ParallelRows.MaxDegreeOfParallelism = int.Parse(args[2]);
}

var result = DetectionBenchmark.Run(DetectionBenchmark.ReadPgm(frame), cascade, DetectionOptions.Default);
Console.WriteLine($"facemoji {result.MedianMillisecondsPerFrame:F2} ms/frame ({result.Faces} faces, {ParallelRows.MaxDegreeOfParallelism} threads; pyramid {result.PyramidMilliseconds:F2} ms, scan {result.ScanMilliseconds:F2} ms)");
