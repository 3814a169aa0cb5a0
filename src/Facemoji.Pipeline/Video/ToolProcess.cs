using System.Diagnostics;
using System.Text;

namespace Facemoji.Pipeline.Video;

/// <summary>A running ffmpeg/ffprobe with its stderr drained into a bounded buffer for error messages.</summary>
internal sealed class ToolProcess : IDisposable
{
    private const int MaxErrorChars = 4000;
    private readonly StringBuilder errors = new();
    private readonly Task errorPump;

    public ToolProcess(Process process)
    {
        Process = process;
        errorPump = Task.Run(async () =>
        {
            var buffer = new char[1024];
            int read;
            while ((read = await process.StandardError.ReadAsync(buffer.AsMemory())) > 0)
            {
                lock (errors)
                {
                    if (errors.Length < MaxErrorChars)
                    {
                        errors.Append(buffer, 0, Math.Min(read, MaxErrorChars - errors.Length));
                    }
                }
            }
        });
    }

    public Process Process { get; }

    /// <summary>The last meaningful line that the tool printed on stderr, for an error message ("no message" when it printed none).</summary>
    public string ErrorSummary => LastErrorLine ?? "no message";

    /// <summary>The last non-blank line the tool printed on stderr, or null when it printed none.</summary>
    public string? LastErrorLine
    {
        get
        {
            errorPump.Wait(TimeSpan.FromSeconds(5));
            string text;
            lock (errors)
            {
                text = errors.ToString();
            }

            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.Length == 0 ? null : lines[^1];
        }
    }

    public int WaitForExit()
    {
        Process.WaitForExit();
        errorPump.Wait(TimeSpan.FromSeconds(5));
        return Process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone: nothing to stop.
        }

        Process.Dispose();
    }
}
