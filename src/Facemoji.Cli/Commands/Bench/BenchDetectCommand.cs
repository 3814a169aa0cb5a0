using System.CommandLine;
using System.Text.Json;
using Facemoji.Benchmarks.Detection;
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
        var options = new BenchDetectOptions();
        var command = new Command("detect", "Face detection milliseconds per frame (cascade detector, 640x480 frame), or --wild: found %, false positives, expression accuracy and roll error per transform.");
        options.AddTo(command, common);
        command.SetAction(parseResult => Run(parseResult, common.Read(parseResult), options));
        return command;
    }

    /// <summary>One of the four measurements: --wild, --framing, an explicit --detector, or else the cascade benchmark.</summary>
    private static int Run(ParseResult parseResult, BenchSettings settings, BenchDetectOptions options)
    {
        if (parseResult.GetValue(options.Wild) is { } ferTest)
        {
            return BenchWildCommand.RunWild(ferTest, parseResult.GetValue(options.Detectors)!, settings.Quick ? 3 : parseResult.GetValue(options.PerClass), parseResult.GetValue(options.Model), settings.Json);
        }

        if (parseResult.GetValue(options.Framing) is { } framingFolder)
        {
            foreach (var (model, f) in FerFraming.MeasureEachModel(framingFolder))
            {
                Console.WriteLine($"{model}: {f.OneFace} of {f.Images} images with one face; frame/box side median {f.MedianScale:F3} (quartiles {f.ScaleQ1:F3}-{f.ScaleQ3:F3}); frame centre offset x {f.MedianOffsetX:F3}, y {f.MedianOffsetY:F3} box sides");
            }

            return 0;
        }

        if (parseResult.GetResult(options.Detector) is { Implicit: false } && parseResult.GetValue(options.Detector) is { } timed)
        {
            return BenchWildCommand.RunTiming(timed, parseResult.GetValue(options.Frame)!, settings.Quick);
        }

        return RunCascade(parseResult, settings, options);
    }

    /// <summary>The cascade benchmark on the frame, at each thread count.</summary>
    private static int RunCascade(ParseResult parseResult, BenchSettings settings, BenchDetectOptions options)
    {
        var detection = new DetectionOptions
        {
            ScaleFactor = parseResult.GetValue(options.ScaleFactor),
            MinNeighbors = parseResult.GetValue(options.MinNeighbors),
            MinWidth = parseResult.GetValue(options.MinSize),
            MinHeight = parseResult.GetValue(options.MinSize),
        };
        var results = DetectionBenchmark.RunAcrossThreads(parseResult.GetValue(options.Frame)!, parseResult.GetValue(options.Cascade), detection, settings.ThreadCounts, settings.Quick);
        if (settings.Json)
        {
            WriteJson(results, detection, settings);
        }
        else
        {
            WriteTable(results, detection);
        }

        return 0;
    }

    private static void WriteTable(IReadOnlyList<(int Threads, DetectionBenchmarkResult Result)> results, DetectionOptions options)
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

    private static void WriteJson(IReadOnlyList<(int Threads, DetectionBenchmarkResult Result)> results, DetectionOptions options, BenchSettings settings)
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
