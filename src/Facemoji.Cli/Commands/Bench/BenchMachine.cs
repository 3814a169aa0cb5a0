using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Json;

namespace Facemoji.Cli.Commands.Bench;

/// <summary>What a benchmark ran on, for the table caption and the JSON output.</summary>
public static class BenchMachine
{
    public static string Cpu { get; } = ReadCpuName();

    public static string Describe() =>
        $"{Cpu}, {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, " +
        $"Vector512 {(Vector512.IsHardwareAccelerated ? "on" : "off")}, Vector256 {(Vector256.IsHardwareAccelerated ? "on" : "off")}, " +
        $"load average {LoadAverage()}";

    public static void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject("machine");
        json.WriteString("cpu", Cpu);
        json.WriteNumber("cores", Environment.ProcessorCount);
        json.WriteString("runtime", RuntimeInformation.FrameworkDescription);
        json.WriteBoolean("vector512", Vector512.IsHardwareAccelerated);
        json.WriteBoolean("vector256", Vector256.IsHardwareAccelerated);
        json.WriteString("load_average", LoadAverage());
        json.WriteEndObject();
    }

    private static string ReadCpuName()
    {
        try
        {
            string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (UnauthorizedAccessException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    // The 1-minute load average (Linux): tells a reader how busy the machine was during the run.
    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
