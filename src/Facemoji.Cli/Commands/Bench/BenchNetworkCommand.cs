using System.CommandLine;
using System.Text.Json;
using Facemoji.Benchmarks.Networks;
using Facemoji.Engine;
using Facemoji.Engine.Networks;
using Spectre.Console;

namespace Facemoji.Cli.Commands.Bench;

/// <summary>
/// <c>facemoji bench train</c> and <c>facemoji bench infer</c>: images per second of a whole network (default
/// bench-vgg8) on random faces: a training step (forward, label-smoothed cross-entropy, backward, SGD) or an
/// evaluation-mode forward. bench/vgg8_compare.sh runs the same work in PyTorch next to it.
/// </summary>
public static class BenchNetworkCommand
{
    public static Command CreateTrain(BenchCommonOptions common) =>
        Create("train", "Training-step speed (forward, cross-entropy, backward, SGD) in images per second.", 64, common,
            (arch, batch, threads, settings) => NetworkBenchmark.Train(arch, batch, threads, settings));

    public static Command CreateInfer(BenchCommonOptions common) =>
        Create("infer", "Inference speed (Eval mode) in images per second and milliseconds per image.", 64, common,
            (arch, batch, threads, settings) => NetworkBenchmark.Infer(arch, batch, threads, settings));

    private static Command Create(
        string name, string description, int defaultBatch, BenchCommonOptions common,
        Func<string, int, int, NetworkBenchmarkSettings, NetworkMeasurement> run)
    {
        var arch = new Option<string>("--arch")
        {
            Description = $"Architecture: {string.Join(", ", Architectures.Names)}.",
            DefaultValueFactory = _ => "bench-vgg8",
        };
        var batch = new Option<int>("--batch")
        {
            Description = "Images per step.",
            DefaultValueFactory = _ => defaultBatch,
        };
        var command = new Command(name, description);
        common.AddTo(command);
        command.Options.Add(arch);
        command.Options.Add(batch);
        command.SetAction(parseResult =>
        {
            BenchSettings settings = common.Read(parseResult);
            string architecture = parseResult.GetValue(arch)!;
            if (!Architectures.Names.Contains(architecture))
            {
                throw new FacemojiException($"--arch: unknown architecture '{architecture}'; known: {string.Join(", ", Architectures.Names)}");
            }

            int batchSize = parseResult.GetValue(batch);
            if (batchSize is < 1 or > 4096)
            {
                throw new FacemojiException($"--batch: {batchSize} is not a batch size (1 to 4096)");
            }

            int threads = settings.Threads ?? Environment.ProcessorCount;
            var result = run(architecture, batchSize, threads, settings.Quick ? NetworkBenchmarkSettings.Quick : NetworkBenchmarkSettings.Full);
            if (settings.Json)
            {
                WriteJson(result, settings);
            }
            else
            {
                WriteTable(result);
            }

            return 0;
        });
        return command;
    }

    private static void WriteTable(NetworkMeasurement r)
    {
        var table = new Table().Title($"{r.Benchmark}: {r.Architecture}").Caption(Markup.Escape(BenchMachine.Describe()));
        table.AddColumns("batch", "threads", "ms/step", "images/s", "ms/image", "peak working set");
        foreach (var column in table.Columns)
        {
            column.RightAligned();
        }

        table.AddRow($"{r.Batch}", $"{r.Threads}", $"{r.MedianSecondsPerStep * 1e3:F2}", $"{r.ImagesPerSecond:F1}", $"{r.MillisecondsPerImage:F3}",
            $"{r.PeakWorkingSetBytes / (1024.0 * 1024.0):F0} MiB");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(r.Detail)}[/]");
    }

    private static void WriteJson(NetworkMeasurement r, BenchSettings settings)
    {
        using var stream = Console.OpenStandardOutput();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("benchmark", r.Benchmark);
            json.WriteString("architecture", r.Architecture);
            json.WriteString("work", r.Detail);
            json.WriteBoolean("quick", settings.Quick);
            BenchMachine.Write(json);
            json.WriteNumber("batch", r.Batch);
            json.WriteNumber("threads", r.Threads);
            json.WriteNumber("median_seconds_per_step", r.MedianSecondsPerStep);
            json.WriteNumber("best_seconds_per_step", r.BestSecondsPerStep);
            json.WriteNumber("samples", r.Samples);
            json.WriteNumber("steps_per_sample", r.StepsPerSample);
            json.WriteNumber("images_per_second", Math.Round(r.ImagesPerSecond, 2));
            json.WriteNumber("ms_per_image", Math.Round(r.MillisecondsPerImage, 4));
            json.WriteNumber("peak_working_set_bytes", r.PeakWorkingSetBytes);
            json.WriteEndObject();
        }

        Console.Out.WriteLine();
    }
}
