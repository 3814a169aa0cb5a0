using System.Globalization;
using System.Text.Json;
using Facemoji.Benchmarks.Networks;
using Facemoji.Engine.Networks;
using Facemoji.Engine.Onnx;
using Facemoji.Engine.Serialization;
using Microsoft.ML.OnnxRuntime;

namespace Facemoji.Benchmarks.OnnxRuntime;

/// <summary>
/// <c>facemoji-onnxruntime-bench --arch bench-vgg8 --batch 64 --threads 2 [--quick]</c>: the inference forward that
/// <c>facemoji bench infer</c> times, run by ONNX Runtime on the same network (seed 42, exported with
/// <see cref="OnnxExporter"/>) and the same random batch, timed by the same loop. ONNX Runtime's default CPU
/// provider, every graph optimisation, intra-op threads = --threads, sequential execution, input and output
/// bound to preallocated buffers. Prints one JSON object; facemoji runs it as a child process.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            var options = Parse(args);
            string arch = options.GetValueOrDefault("--arch", "bench-vgg8");
            int batch = int.Parse(options.GetValueOrDefault("--batch", "64"), CultureInfo.InvariantCulture);
            int threads = int.Parse(options.GetValueOrDefault("--threads", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
            var settings = options.ContainsKey("--quick") ? NetworkBenchmarkSettings.Quick : NetworkBenchmarkSettings.Full;
            var result = Run(arch, batch, threads, settings);
            Write(result);
            return 0;
        }
        catch (Exception e) when (e is FacemojiException or FormatException or ArgumentException or OnnxRuntimeException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    public static NetworkMeasurement Run(string architecture, int batch, int threads, NetworkBenchmarkSettings settings)
    {
        var (network, input) = NetworkBenchmark.InferenceSetup(architecture, batch, threads);
        var header = new ModelHeader
        {
            Architecture = architecture,
            Labels = [.. Enumerable.Range(0, Architectures.Classes).Select(i => $"class{i}")],
            Preprocessing = new PreprocessingSettings { Width = 48, Height = 48, Channels = 1, Mean = [0f], Std = [1f], CropPolicy = "none" },
        };
        byte[] model = OnnxExporter.ToOnnx(network, header);

        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
        };
        using var session = new InferenceSession(model, sessionOptions);
        var logits = new float[batch * Architectures.Classes];
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input.Data, [batch, 1, 48, 48]);
        using var outputValue = OrtValue.CreateTensorValueFromMemory(logits, [batch, Architectures.Classes]);
        using var runOptions = new RunOptions();
        string[] inputNames = [OnnxExporter.InputName], outputNames = [OnnxExporter.LogitsName];
        OrtValue[] inputs = [inputValue], outputs = [outputValue];
        return NetworkBenchmark.Measure("infer", architecture, batch, threads, settings,
            () => session.Run(runOptions, inputNames, inputs, outputNames, outputs),
            $"ONNX Runtime {OrtEnv.Instance().GetVersionString()} CPU provider, ORT_ENABLE_ALL, {threads} intra-op threads");
    }

    private static void Write(NetworkMeasurement r)
    {
        using var stream = Console.OpenStandardOutput();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("benchmark", "infer");
            json.WriteString("runtime", $"ONNX Runtime {OrtEnv.Instance().GetVersionString()}");
            json.WriteString("architecture", r.Architecture);
            json.WriteString("work", r.Detail);
            r.WriteTimes(json);
            json.WriteEndObject();
        }

        Console.Out.WriteLine();
    }

    private static Dictionary<string, string> Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--quick")
            {
                options["--quick"] = "true";
            }
            else if (args[i] is "--arch" or "--batch" or "--threads" && i + 1 < args.Length)
            {
                options[args[i]] = args[++i];
            }
            else
            {
                throw new ArgumentException($"unknown argument '{args[i]}' (use --arch NAME --batch N --threads T [--quick])");
            }
        }

        return options;
    }
}
