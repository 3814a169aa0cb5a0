using System.Diagnostics;

namespace Facemoji.Cli.Tests.Consistency;

/// <summary>
/// <c>facemoji live</c> starts the server on a loopback port and hands the page's address (with the start
/// settings) to the browser program; a stand-in browser ($FACEMOJI_BROWSER) records it. Without a browser,
/// the address is printed.
/// </summary>
public sealed class LiveCommandTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "facemoji-live-tests", Guid.NewGuid().ToString("N"));

    public LiveCommandTests() => Directory.CreateDirectory(folder);

    public void Dispose()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Live_opens_the_page_with_its_settings_in_the_browser()
    {
        string record = Path.Combine(folder, "opened.txt");
        string browser = Path.Combine(folder, "browser.sh");
        File.WriteAllText(browser, $"#!/bin/sh\necho \"$1\" > '{record}'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(browser, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        string output = RunUntil(browser, () => File.Exists(record) && File.ReadAllText(record).Trim().Length > 0, "--mode", "Badge");

        string opened = File.ReadAllText(record).Trim();
        opened.Should().MatchRegex(@"^http://127\.0\.0\.1:\d+/\?pack=facemoji&mode=badge$");
        output.Should().Contain("Opened " + opened);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Live_without_a_browser_prints_the_address()
    {
        string output = RunUntil(string.Empty, null, "--pack", "FACEMOJI");
        output.Should().MatchRegex(@"No browser could be opened here: open http://127\.0\.0\.1:\d+/\?pack=facemoji&mode=cover yourself");
    }

    /// <summary>Runs <c>facemoji live</c> on a free loopback port until <paramref name="done"/> (or the no-browser line), then stops it.</summary>
    private string RunUntil(string browser, Func<bool>? done, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["exec", Path.Combine(AppContext.BaseDirectory, "facemoji.dll"), "live", "--urls", "http://127.0.0.1:0", "--saves", Path.Combine(folder, "saves"), .. args])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["FACEMOJI_BROWSER"] = browser;
        using var process = Process.Start(start)!;
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(90) && !process.HasExited)
            {
                if (lines.Any(l => l.StartsWith("Opened ") || l.StartsWith("No browser")) && (done is null || done()))
                {
                    break;
                }

                Thread.Sleep(100);
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }

        return string.Join('\n', lines);
    }
}
