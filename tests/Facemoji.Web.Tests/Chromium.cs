using System.Diagnostics;
using Microsoft.Playwright;

namespace Facemoji.Web.Tests;

/// <summary>
/// Debian's chromium driven by Playwright for .NET (its bundled node driver; no browser download): headless,
/// offline (no background networking, updates or sync), a fresh profile, and optionally a fake camera that
/// plays a .y4m file.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright playwright;
    private readonly string profile;

    private Chromium(IPlaywright playwright, IBrowserContext context, string profile)
    {
        this.playwright = playwright;
        Context = context;
        this.profile = profile;
    }

    /// <summary>The browser's one context, on the fresh profile.</summary>
    public IBrowserContext Context { get; }

    public Task<IPage> NewPageAsync() => Context.NewPageAsync();

    /// <summary>Launches chromium; <paramref name="fakeCamera"/> is a .y4m file, or null for a machine without a camera.</summary>
    public static async Task<Chromium> LaunchAsync(string? fakeCamera)
    {
        File.Exists(ExecutablePath).Should().BeTrue("chromium is a Debian package that tools/setup.sh installs");
        string profile = Path.Combine(Path.GetTempPath(), $"facemoji-chromium-{Guid.NewGuid():N}");
        var args = new List<string>
        {
            "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--disable-dev-shm-usage",
        };
        if (Environment.UserName == "root")
        {
            args.Add("--no-sandbox");
        }

        if (fakeCamera is not null)
        {
            args.AddRange(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", $"--use-file-for-fake-video-capture={fakeCamera}"]);
        }
        else
        {
            // No camera at all: the fake device list is empty and every prompt is refused.
            args.AddRange(["--deny-permission-prompts"]);
        }

        IPlaywright playwright = await Playwright.CreateAsync();
        // A persistent context on a fresh folder is how Playwright takes --user-data-dir.
        IBrowserContext context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = args,
            Timeout = 30_000,
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
        });
        return new Chromium(playwright, context, profile);
    }

    /// <summary>Makes a .y4m video of <paramref name="image"/> letterboxed into 640x480 (what a webcam gives), or the size given.</summary>
    public static string MakeFakeCameraVideo(string image, string folder, int width = 640, int height = 480)
    {
        Directory.CreateDirectory(folder);
        string output = Path.Combine(folder, "camera.y4m");
        var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg")
        {
            ArgumentList =
            {
                "-hide_banner", "-loglevel", "error", "-y", "-loop", "1", "-i", image, "-t", "1", "-r", "10",
                "-vf", $"scale={width}:{height}:force_original_aspect_ratio=decrease,pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,format=yuv420p",
                "-f", "yuv4mpegpipe", output,
            },
            RedirectStandardError = true,
        })!;
        string errors = ffmpeg.StandardError.ReadToEnd();
        ffmpeg.WaitForExit(30_000).Should().BeTrue("ffmpeg makes a 1 s video quickly");
        ffmpeg.ExitCode.Should().Be(0, errors);
        return output;
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        playwright.Dispose();
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be letting go of its profile; it lives in the temp folder.
        }
    }
}
