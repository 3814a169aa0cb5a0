using System.CommandLine;
using System.Text.Json;
using Facemoji.Benchmarks.Detection;
using Facemoji.Cli.Commands.Analysis;
using Facemoji.Imaging;
using Facemoji.Pipeline;
using Facemoji.Vision.Cascades;
using Facemoji.Vision.Detection;
using Spectre.Console;

namespace Facemoji.Cli.Commands.Bench;

/// <summary>
/// <c>facemoji bench detect</c>: milliseconds per frame of the cascade face detector on the 640x480 benchmark
/// frame (scale factor 1.1, 5 neighbours, min size 40x40 unless changed), on 1 thread and on every core (or on
/// <c>--threads</c>). bench/detect_compare.sh runs OpenCV 4.6 (bench/detect_opencv.py) on the same work.
/// </summary>
public static class BenchDetectCommand
{
    public static Command Create(BenchCommonOptions common)
    {
        var frame = new Option<string>("--frame")
        {
            Description = "An 8-bit binary PGM (P5) frame.",
            DefaultValueFactory = _ => DetectionBenchmark.DefaultFrame,
        };
        var cascade = CommonOptions.Cascade();
        var scaleFactor = new Option<double>("--scale-factor") { Description = "Pyramid step.", DefaultValueFactory = _ => 1.1 };
        var minNeighbors = new Option<int>("--min-neighbors") { Description = "Grouping threshold.", DefaultValueFactory = _ => 5 };
        var minSize = new Option<int>("--min-size") { Description = "Smallest face side in pixels.", DefaultValueFactory = _ => 40 };

        var wild = new Option<string?>("--wild") { Description = "Run the faces-in-the-wild check instead, with FER2013 test faces from this folder (e.g. ../shared/data/fer2013/test)." };
        var detectors = new Option<string[]>("--detectors") { Description = "Detectors the wild check compares.", DefaultValueFactory = _ => [.. FaceDetectors.Names], AllowMultipleArgumentsPerToken = true };
        var perClass = new Option<int>("--per-class") { Description = "Wild check: FER2013 test faces per class.", DefaultValueFactory = _ => 20 };
        var model = CommonOptions.Model();
        // The same --detector as image, video, demo and serve; given explicitly, it times that detector on one
        // thread instead of running the cascade benchmark.
        var detector = DetectorOption.Create();

        var command = new Command("detect", "Face detection milliseconds per frame (cascade detector, 640x480 frame), or --wild: found %, false positives and expression accuracy per transform.");
        var framing = new Option<string?>("--framing") { Description = "Measure how FER2013 frames BlazeFace's boxes, with the PublicTest images in this folder (e.g. ../shared/data/fer2013/test)." };
        command.Options.Add(framing);
        command.Options.Add(wild);
        command.Options.Add(detectors);
        command.Options.Add(perClass);
        command.Options.Add(model);
        command.Options.Add(detector);
        common.AddTo(command);
        command.Options.Add(frame);
        command.Options.Add(cascade);
        command.Options.Add(scaleFactor);
        command.Options.Add(minNeighbors);
        command.Options.Add(minSize);
        command.SetAction(parseResult =>
        {
            BenchSettings settings = common.Read(parseResult);
            if (parseResult.GetValue(wild) is { } ferTest)
            {
                return BenchWildCommand.RunWild(ferTest, parseResult.GetValue(detectors)!, settings.Quick ? 3 : parseResult.GetValue(perClass), parseResult.GetValue(model), settings.Json);
            }

            if (parseResult.GetValue(framing) is { } framingFolder)
            {
                foreach (var blazeModel in new[] { Vision.Detection.BlazeFace.BlazeFaceModel.ShortRange, Vision.Detection.BlazeFace.BlazeFaceModel.FullRange })
                {
                    var f = FerFraming.Measure(blazeModel, framingFolder);
                    Console.WriteLine($"{blazeModel.Name}: {f.OneFace} of {f.Images} images with one face; frame/box side median {f.MedianScale:F3} (quartiles {f.ScaleQ1:F3}-{f.ScaleQ3:F3}); frame centre offset x {f.MedianOffsetX:F3}, y {f.MedianOffsetY:F3} box sides");
                }

                return 0;
            }

            if (parseResult.GetResult(detector) is { Implicit: false } && parseResult.GetValue(detector) is { } timed)
            {
                return BenchWildCommand.RunTiming(timed, DetectionBenchmark.ReadPgm(parseResult.GetValue(frame)!), settings.Quick ? 5 : 20, settings.Quick ? 3 : 7);
            }

            var options = new DetectionOptions
            {
                ScaleFactor = parseResult.GetValue(scaleFactor),
                MinNeighbors = parseResult.GetValue(minNeighbors),
                MinWidth = parseResult.GetValue(minSize),
                MinHeight = parseResult.GetValue(minSize),
            };
            options.Validate();
            string cascadePath = parseResult.GetValue(cascade) ?? Facemoji.Vision.Cascades.CascadeFiles.Locate(Facemoji.Vision.Cascades.CascadeClassifier.DefaultPath);
            GrayImage image = DetectionBenchmark.ReadPgm(parseResult.GetValue(frame)!);
            (int framesPerRepeat, int repeats) = settings.Quick ? (5, 3) : (20, 7);

            var results = new List<(int Threads, DetectionBenchmarkResult Result)>();
            foreach (int threads in settings.ThreadCounts)
            {
                ParallelRows.MaxDegreeOfParallelism = threads;
                results.Add((threads, DetectionBenchmark.Run(image, cascadePath, options, framesPerRepeat, repeats)));
            }

            if (settings.Json)
            {
                WriteJson(results, options, settings);
            }
            else
            {
                WriteTable(results, options);
            }

            return 0;
        });
        return command;
    }

    private static void WriteTable(List<(int Threads, DetectionBenchmarkResult Result)> results, DetectionOptions options)
    {
        DetectionBenchmarkResult first = results[0].Result;
        var table = new Table()
            .Title($"detect: {first.Cascade} on {first.Width}x{first.Height}, scale {options.ScaleFactor}, {options.MinNeighbors} neighbours, min {options.MinWidth}")
            .Caption(Markup.Escape(BenchMachine.Describe()));
        table.AddColumns("threads", "ms/frame", "frames/s", "pyramid ms", "scan ms", "faces");
        foreach (var column in table.Columns)
        {
            column.RightAligned();
        }

        foreach ((int threads, DetectionBenchmarkResult r) in results)
        {
            table.AddRow($"{threads}", $"{r.MedianMillisecondsPerFrame:F2}", $"{1000 / r.MedianMillisecondsPerFrame:F1}",
                $"{r.PyramidMilliseconds:F2}", $"{r.ScanMilliseconds:F2}", $"{r.Faces}");
        }

        AnsiConsole.Write(table);
    }

    private static void WriteJson(List<(int Threads, DetectionBenchmarkResult Result)> results, DetectionOptions options, BenchSettings settings)
    {
        using var stream = Console.OpenStandardOutput();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            DetectionBenchmarkResult first = results[0].Result;
            json.WriteStartObject();
            json.WriteString("benchmark", "detect");
            json.WriteString("cascade", first.Cascade);
            json.WriteNumber("width", first.Width);
            json.WriteNumber("height", first.Height);
            json.WriteNumber("scale_factor", options.ScaleFactor);
            json.WriteNumber("min_neighbors", options.MinNeighbors);
            json.WriteNumber("min_size", options.MinWidth);
            json.WriteBoolean("quick", settings.Quick);
            BenchMachine.Write(json);
            json.WriteStartArray("results");
            foreach ((int threads, DetectionBenchmarkResult r) in results)
            {
                json.WriteStartObject();
                json.WriteNumber("threads", threads);
                json.WriteNumber("median_ms_per_frame", Math.Round(r.MedianMillisecondsPerFrame, 3));
                json.WriteNumber("pyramid_ms", Math.Round(r.PyramidMilliseconds, 3));
                json.WriteNumber("scan_ms", Math.Round(r.ScanMilliseconds, 3));
                json.WriteNumber("faces", r.Faces);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }
}
