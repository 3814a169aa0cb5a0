using System.ComponentModel;
using System.Diagnostics;

namespace Facemoji.Cli;

/// <summary>
/// Opens an address in the default browser the way each system does it: <c>xdg-open</c> on Linux and the BSDs,
/// <c>open</c> on macOS, the shell's file association (<c>start</c>) on Windows. $FACEMOJI_BROWSER names
/// another program (tests set it to one that records the address); an empty one opens nothing.
/// </summary>
public static class Browser
{
    public const string Variable = "FACEMOJI_BROWSER";

    /// <summary>True when a browser program was started; false when there is none (the caller prints the address).</summary>
    public static bool TryOpen(string url)
    {
        string? chosen = Environment.GetEnvironmentVariable(Variable);
        if (chosen is { Length: 0 })
        {
            return false;
        }

        var start = chosen is not null ? new ProcessStartInfo(chosen, [url])
            : OperatingSystem.IsWindows() ? new ProcessStartInfo(url) { UseShellExecute = true }
            : OperatingSystem.IsMacOS() ? new ProcessStartInfo("open", [url])
            : new ProcessStartInfo("xdg-open", [url]);
        start.RedirectStandardOutput = !start.UseShellExecute;
        start.RedirectStandardError = !start.UseShellExecute;
        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return false;
            }

            // xdg-open returns at once when it hands the address over; a failure (no browser) shows as its exit code.
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                return true;
            }

            return process.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false; // no such program: no desktop here
        }
    }
}
