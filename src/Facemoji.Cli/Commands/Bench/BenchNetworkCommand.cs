using System.CommandLine;
using System.Text.Json;
using Facemoji.Benchmarks.Networks;
using Facemoji.Engine.Networks;
using Spectre.Console;

namespace Facemoji.Cli.Commands.Bench;

/// <summary>
/// <c>facemoji bench train</c> and <c>facemoji bench infer</c>: images per second of a whole network (default
/// bench-vgg8) on random faces: a training step (forward, label-smoothed cross-entropy, backward, SGD) or an
/// evaluation-mode forward. bench/vgg8_compare.sh runs the same work in PyTorch next to it; <c>bench infer
/// --onnxruntime</c> runs it in ONNX Runtime too (in a child process, <see cref="OnnxRuntimeReference"/>), batch by batch.
/// </summary>
public static class BenchNetworkCommand
{
    public static Command CreateTrain(BenchCommonOptions common) =>
        Create("train", "Training-step speed (forward, cross-entropy, backward, SGD) in images per second.", common,
            (arch, batches, threads, quick, _) => NetworkBenchmark.TrainBatches(arch, batches, threads, quick), withReference: false);

    public static Command CreateInfer(BenchCommonOptions common) =>
        Create("infer", "Inference speed (Eval mode) in images per second and milliseconds per image; --onnxruntime compares with ONNX Runtime.", common,
            NetworkBenchmark.InferBatches, withReference: true);

    private static Command Create(
        string name, string description, BenchCommonOptions common,
        Func<string, IReadOnlyList<int>, int, bool, bool, IReadOnlyList<NetworkComparison>> run, bool withReference)
    {
        var arch = new Option<string>("--arch") { Description = $"Architecture: {string.Join(", ", Architectures.Names)}.", DefaultValueFactory = _ => "bench-vgg8" };
        var batch = new Option<int[]>("--batch")
        {
            Description = "Images per step; several sizes run one after the other (--batch 1 8 64).",
            DefaultValueFactory = _ => [64],
            AllowMultipleArgumentsPerToken = true,
        };
        var onnxRuntime = new Option<bool>("--onnxruntime")
        {
            Description = "Also time the same network and batch in ONNX Runtime 1.31.1 (CPU provider, all graph optimisations, same threads), in its own process.",
        };
        var profileLayers = new Option<bool>("--profile-layers") { Description = "Instead, time each top-level layer's forward apart (shortest of many rounds), then the whole forward." };
        var command = new Command(name, description);
        common.AddTo(command);
        command.Options.Add(arch);
        command.Options.Add(batch);
        if (withReference)
        {
            command.Options.Add(onnxRuntime);
            command.Options.Add(profileLayers);
        }

        command.SetAction(parseResult =>
        {
            BenchSettings settings = common.Read(parseResult);
            if (withReference && parseResult.GetValue(profileLayers))
            {
                return Profile(parseResult.GetValue(arch)!, parseResult.GetValue(batch) ?? [], settings, parseResult.GetValue(onnxRuntime));
            }

            Write(run(parseResult.GetValue(arch)!, parseResult.GetValue(batch) ?? [], settings.Threads ?? Environment.ProcessorCount, settings.Quick, withReference && parseResult.GetValue(onnxRuntime)), settings);
            return 0;
        });
        return command;
    }

    private static void Write(IReadOnlyList<NetworkComparison> rows, BenchSettings settings)
    {
        if (settings.Json)
        {
            WriteJson(rows, settings);
        }
        else
        {
            WriteTable(rows);
        }
    }

    private static int Profile(string architecture, IReadOnlyList<int> batches, BenchSettings settings, bool withOnnxRuntime)
    {
        if (withOnnxRuntime)
        {
            throw new FacemojiException("--profile-layers times our layers one by one; run it without --onnxruntime");
        }

        WriteProfiles(architecture, NetworkBenchmark.ProfileBatches(architecture, batches, settings.Threads ?? Environment.ProcessorCount, settings.Quick), settings);
        return 0;
    }

    private static void WriteProfiles(string architecture, IReadOnlyList<(int Batch, IReadOnlyList<LayerTiming> Layers)> profiles, BenchSettings settings)
    {
        if (settings.Json)
        {
            using var stream = Console.OpenStandardOutput();
            using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteString("benchmark", "infer-layers");
                json.WriteString("architecture", architecture);
                json.WriteBoolean("quick", settings.Quick);
                BenchMachine.Write(json);
                json.WriteStartArray("results");
                foreach (var (batchSize, layers) in profiles)
                {
                    json.WriteStartObject();
                    json.WriteNumber("batch", batchSize);
                    json.WriteStartArray("layers");
                    foreach (var layer in layers)
                    {
                        json.WriteStartObject();
                        json.WriteString("name", layer.Name);
                        json.WriteString("kind", layer.Kind);
                        json.WriteString("input_shape", layer.InputShape);
                        json.WriteNumber("best_microseconds", Math.Round(layer.BestSeconds * 1e6, 2));
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            Console.Out.WriteLine();
            return;
        }

        foreach (var (batchSize, layers) in profiles)
        {
            var table = new Table().Title($"infer, layer by layer: {architecture}, batch {batchSize}").Caption(Markup.Escape(BenchMachine.Describe()));
            table.AddColumns("layer", "kind", "input", "best µs");
            table.Columns[3].RightAligned();
            foreach (var layer in layers)
            {
                table.AddRow(Markup.Escape(layer.Name), layer.Kind, layer.InputShape, $"{layer.BestSeconds * 1e6:F1}");
            }

            AnsiConsole.Write(table);
        }
    }

    private static void WriteTable(IReadOnlyList<NetworkComparison> rows)
    {
        var first = rows[0].Ours;
        bool compared = rows.Any(r => r.Reference is not null);
        var table = new Table().Title($"{first.Benchmark}: {first.Architecture}").Caption(Markup.Escape(BenchMachine.Describe()));
        table.AddColumns("runtime", "batch", "threads", "ms/step", "images/s", "ms/image", "peak working set");
        if (compared)
        {
            table.AddColumn("ours / ONNX Runtime speed");
        }

        foreach (var column in table.Columns)
        {
            column.RightAligned();
        }

        foreach (var (ours, reference) in rows)
        {
            AddRow(table, "facemoji", ours, compared ? "" : null);
            if (reference is not null)
            {
                AddRow(table, "ONNX Runtime", reference, $"{ours.ImagesPerSecond / reference.ImagesPerSecond:F2}x");
            }
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(first.Detail)}[/]");
        if (rows.FirstOrDefault(r => r.Reference is not null)?.Reference is { } any)
        {
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(any.Detail)}; peak working set is each process's own[/]");
        }
    }

    private static void AddRow(Table table, string runtime, NetworkMeasurement r, string? ratio)
    {
        string[] cells = [runtime, $"{r.Batch}", $"{r.Threads}", $"{r.MedianSecondsPerStep * 1e3:F2}", $"{r.ImagesPerSecond:F1}", $"{r.MillisecondsPerImage:F3}",
            $"{r.PeakWorkingSetBytes / (1024.0 * 1024.0):F0} MiB"];
        table.AddRow(ratio is null ? cells : [.. cells, ratio]);
    }

    /// <summary>One batch size: one object (as before, plus "onnxruntime" and "speed_ratio_vs_onnxruntime" when compared); several: {"results": [...]}.</summary>
    private static void WriteJson(IReadOnlyList<NetworkComparison> rows, BenchSettings settings)
    {
        using var stream = Console.OpenStandardOutput();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            if (rows.Count == 1)
            {
                WriteResult(json, rows[0].Ours, rows[0].Reference, settings);
            }
            else
            {
                json.WriteStartObject();
                json.WriteStartArray("results");
                foreach (var (ours, reference) in rows)
                {
                    WriteResult(json, ours, reference, settings);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }
        }

        Console.Out.WriteLine();
    }

    private static void WriteResult(Utf8JsonWriter json, NetworkMeasurement r, NetworkMeasurement? reference, BenchSettings settings)
    {
        json.WriteStartObject();
        json.WriteString("benchmark", r.Benchmark);
        json.WriteString("architecture", r.Architecture);
        json.WriteString("work", r.Detail);
        json.WriteBoolean("quick", settings.Quick);
        BenchMachine.Write(json);
        r.WriteTimes(json);
        if (reference is not null)
        {
            json.WriteStartObject("onnxruntime");
            json.WriteString("work", reference.Detail);
            reference.WriteTimes(json);
            json.WriteEndObject();
            json.WriteNumber("speed_ratio_vs_onnxruntime", Math.Round(r.ImagesPerSecond / reference.ImagesPerSecond, 4));
        }

        json.WriteEndObject();
    }
}
