using System.CommandLine;
using System.Text.Json;
using Facemoji.Benchmarks.Gemm;
using Facemoji.Engine.Kernels;
using Spectre.Console;

namespace Facemoji.Cli.Commands.Bench;

/// <summary>
/// <c>facemoji bench gemm</c>: GFLOP/s of the engine's SGEMM on squares and on the bench-vgg8 convolution shapes,
/// on 1 thread and on every core (or on <c>--threads</c>).
/// </summary>
public static class BenchGemmCommand
{
    public static Command Create(BenchCommonOptions common)
    {
        var shapes = new Option<string>("--shapes")
        {
            Description = "Which shapes: all, squares or conv.",
            DefaultValueFactory = _ => "all",
        };
        shapes.AcceptOnlyFromAmong("all", "squares", "conv");
        var kernel = new Option<string>("--kernel")
        {
            Description = "Micro-kernel: auto, vector512, vector256, vector128 or scalar.",
            DefaultValueFactory = _ => "auto",
        };
        kernel.AcceptOnlyFromAmong("auto", "vector512", "vector256", "vector128", "scalar");

        var filter = new Option<string?>("--filter")
        {
            Description = "Only the shapes whose name contains this text (e.g. \"square 1024\" or \"conv2\").",
        };

        var command = new Command("gemm", "SGEMM GFLOP/s on square and bench-vgg8 convolution shapes (batch 64).");
        common.AddTo(command);
        command.Options.Add(shapes);
        command.Options.Add(kernel);
        command.Options.Add(filter);
        command.SetAction(parseResult =>
        {
            BenchSettings settings = common.Read(parseResult);
            GemmKernelKind kernelKind = Enum.Parse<GemmKernelKind>(parseResult.GetValue(kernel)!, ignoreCase: true);
            var benchSettings = GemmBenchmarkSettings.For(kernelKind, settings.Quick);
            var selected = GemmShapes.Select(parseResult.GetValue(shapes)!, parseResult.GetValue(filter));
            GemmKernelKind used = kernelKind == GemmKernelKind.Auto ? Gemm.BestKernel : kernelKind;
            return settings.Json
                ? WriteJson(GemmBenchmark.Run(selected, settings.ThreadCounts, benchSettings).ToList(), settings, used)
                : WriteTable(selected, settings, benchSettings, used);
        });
        return command;
    }

    private static int WriteTable(IReadOnlyList<GemmShape> shapes, BenchSettings settings, GemmBenchmarkSettings benchSettings, GemmKernelKind used)
    {
        var table = new Table().Title($"SGEMM ({used} kernel)").Caption(Markup.Escape(BenchMachine.Describe()));
        table.AddColumns("shape", "op", "M", "N", "K", "threads", "ms", "GFLOP/s");
        table.Columns[0].NoWrap();
        foreach (var column in table.Columns.Skip(2))
        {
            column.RightAligned();
        }

        void AddRows(Action refresh)
        {
            foreach (GemmMeasurement result in GemmBenchmark.Run(shapes, settings.ThreadCounts, benchSettings))
            {
                GemmShape shape = result.Shape;
                table.AddRow(
                    Markup.Escape(shape.Name), shape.TransposeCode, $"{shape.M}", $"{shape.N}", $"{shape.K}", $"{result.Threads}",
                    $"{result.MedianSeconds * 1e3:F3}", $"{result.Gflops:F1}");
                refresh();
            }
        }

        // Rows appear as they are measured on a terminal; redirected output gets the finished table once.
        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            AnsiConsole.Live(table).Start(context => AddRows(context.Refresh));
        }
        else
        {
            AddRows(() => { });
            AnsiConsole.Write(table);
        }

        return 0;
    }

    private static int WriteJson(IReadOnlyList<GemmMeasurement> results, BenchSettings settings, GemmKernelKind used)
    {
        using var stream = Console.OpenStandardOutput();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("benchmark", "gemm");
            json.WriteString("kernel", used.ToString());
            json.WriteBoolean("quick", settings.Quick);
            BenchMachine.Write(json);
            json.WriteStartArray("results");
            foreach (GemmMeasurement result in results)
            {
                json.WriteStartObject();
                json.WriteString("shape", result.Shape.Name);
                json.WriteString("op", result.Shape.TransposeCode);
                json.WriteNumber("m", result.Shape.M);
                json.WriteNumber("n", result.Shape.N);
                json.WriteNumber("k", result.Shape.K);
                json.WriteNumber("threads", result.Threads);
                json.WriteNumber("median_seconds", result.MedianSeconds);
                json.WriteNumber("best_seconds", result.BestSeconds);
                json.WriteNumber("samples", result.Samples);
                json.WriteNumber("calls_per_sample", result.CallsPerSample);
                json.WriteNumber("gflops", Math.Round(result.Gflops, 2));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        Console.Out.WriteLine();
        return 0;
    }
}
