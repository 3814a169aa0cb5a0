#:project ../src/Facemoji.Benchmarks/Facemoji.Benchmarks.csproj
#:property PublishAot=false
// Our detector on the benchmark frame (see bench/detect_compare.sh); until `facemoji bench detect` exists this
// file-based program runs src/Facemoji.Benchmarks/Detection/DetectionBenchmark.cs directly:
//   dotnet run -c Release bench/detect_bench.cs [frame.pgm] [cascade.xml]
using Facemoji.Benchmarks.Detection;
using Facemoji.Vision.Detection;

string frame = args.Length > 0 ? args[0] : DetectionBenchmark.DefaultFrame;
string cascade = args.Length > 1 ? args[1] : Facemoji.Vision.Cascades.CascadeClassifier.DefaultPath;
var result = DetectionBenchmark.Run(DetectionBenchmark.ReadPgm(frame), cascade, DetectionOptions.Default);
Console.WriteLine($"facemoji {result.MedianMillisecondsPerFrame:F2} ms/frame ({result.Faces} faces, {Environment.ProcessorCount} threads)");
