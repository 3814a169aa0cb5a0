using System.Diagnostics;
using Facemoji.Engine;

namespace Facemoji.Pipeline.Video;

/// <summary>
/// Finds the ffmpeg and ffprobe executables. Video goes through them as separate processes with raw-frame
/// pipes, so no video library is linked. FACEMOJI_FFMPEG / FACEMOJI_FFPROBE override the lookup (tests use
/// them to simulate a machine without ffmpeg).
/// </summary>
internal static class FfmpegTools
{
    public const string InstallHint = "install Debian's ffmpeg (apt-get install ffmpeg)";

    public static string Ffmpeg => Locate("ffmpeg", "FACEMOJI_FFMPEG");

    public static string Ffprobe => Locate("ffprobe", "FACEMOJI_FFPROBE");

    private static string Locate(string name, string overrideVariable)
    {
        string? overridden = Environment.GetEnvironmentVariable(overrideVariable);
        if (!string.IsNullOrEmpty(overridden))
        {
            return File.Exists(overridden)
                ? overridden
                : throw new FacemojiException($"{name} not found at {overridden} ({overrideVariable}): {InstallHint}.");
        }

        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FacemojiException($"{name} was not found on PATH: video needs it; {InstallHint}.");
    }

    /// <summary>Starts a tool with redirected pipes; stderr is collected in the background so the pipe never fills.</summary>
    internal static ToolProcess Start(string executable, IEnumerable<string> arguments, bool redirectInput)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new FacemojiException($"Could not start {executable}.");
        return new ToolProcess(process);
    }
}
