using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Facemoji.Engine;

namespace Facemoji.Benchmarks.Networks;

/// <summary>
/// Runs the ONNX Runtime side of the inference comparison: the program of src/Facemoji.Benchmarks.OnnxRuntime
/// (facemoji-onnxruntime-bench), in a process of its own so that facemoji never loads ONNX Runtime and each
/// runtime's peak memory is its own. Looked for in $FACEMOJI_ONNXRUNTIME_BENCH, then onnxruntime/ beside facemoji
/// (make build puts it there), then the repository's Release build output.
/// </summary>
public static class OnnxRuntimeReference
{
    public const string ProgramName = "facemoji-onnxruntime-bench";

    public const string EnvironmentVariable = "FACEMOJI_ONNXRUNTIME_BENCH";

    public static NetworkMeasurement Infer(string architecture, int batch, int threads, bool quick)
    {
        string program = Locate();
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "--arch", architecture, "--batch", batch.ToString(CultureInfo.InvariantCulture), "--threads", threads.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        if (quick)
        {
            start.ArgumentList.Add("--quick");
        }

        using var process = Process.Start(start) ?? throw new FacemojiException($"{program}: could not be started.");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new FacemojiException($"{program}: did not finish within 10 minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new FacemojiException($"{program} failed (exit code {process.ExitCode}): {stderr.Result.Trim()}");
        }

        try
        {
            using var json = JsonDocument.Parse(stdout);
            var r = json.RootElement;
            return new NetworkMeasurement("infer", architecture, batch, threads, r.GetProperty("median_seconds_per_step").GetDouble(),
                r.GetProperty("best_seconds_per_step").GetDouble(), r.GetProperty("samples").GetInt32(), r.GetProperty("steps_per_sample").GetInt32(),
                r.GetProperty("peak_working_set_bytes").GetInt64(), r.GetProperty("work").GetString() ?? "ONNX Runtime");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FacemojiException($"{program}: its output is not the expected JSON ({e.Message}).", e);
        }
    }

    private static string Locate()
    {
        string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : throw new FacemojiException($"${EnvironmentVariable}: {configured} does not exist.");
        }

        var candidates = new List<string> { Path.Combine(AppContext.BaseDirectory, "onnxruntime", ProgramName) };
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Facemoji.sln")))
            {
                candidates.Add(Path.Combine(dir.FullName, "src", "Facemoji.Benchmarks.OnnxRuntime", "bin", "Release", "net10.0", ProgramName));
                break;
            }
        }

        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FacemojiException($"The ONNX Runtime reference ({ProgramName}) is not built; looked in {string.Join(" and ", candidates)}. " +
                "Run 'make build' (or 'dotnet build src/Facemoji.Benchmarks.OnnxRuntime -c Release').");
    }
}
