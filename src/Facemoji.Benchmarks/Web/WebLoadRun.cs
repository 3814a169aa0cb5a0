using Facemoji.Imaging;

namespace Facemoji.Benchmarks.Web;

/// <summary>
/// <c>facemoji bench web</c>: checks the load's figures, makes the frame every client sends (the picture centred on
/// a 640x480 black frame, as a JPEG of quality 80), starts the server under test unless
/// <see cref="WebLoadRequest.Url"/> names a running one, runs <see cref="WebLoadBenchmark"/> against it, then stops
/// the server and deletes the temporary saves folder it was given.
/// </summary>
public static class WebLoadRun
{
    /// <param name="request">The server and the load.</param>
    /// <param name="startServer">
    /// Starts a server on a free loopback port with (saves folder, at least this many sockets) and gives its address
    /// and what stops it (the caller knows the web app; this project measures it over the wire only).
    /// </param>
    /// <param name="cancel">Stops the load early.</param>
    public static async Task<WebLoadReport> RunAsync(
        WebLoadRequest request, Func<string, int, CancellationToken, Task<(Uri Address, IAsyncDisposable Server)>> startServer, CancellationToken cancel = default)
    {
        if (request.Clients is < 1 or > 256 || request.FramesPerSecond is <= 0 or > 1000 || request.Seconds is <= 0 or > 3600)
        {
            throw new FacemojiException("--clients must be 1..256, --fps 0..1000 and --seconds 0..3600");
        }

        byte[] frame = MakeFrame(request.ImagePath);
        Uri? address = request.Url is null ? null : new Uri(request.Url);
        IAsyncDisposable? server = null;
        string saves = Path.Combine(Path.GetTempPath(), $"facemoji-bench-web-{Environment.ProcessId}");
        try
        {
            if (address is null)
            {
                (address, server) = await startServer(saves, Math.Max(16, request.Clients), cancel);
            }

            var load = new WebLoadSettings(address, frame, request.Clients, request.FramesPerSecond, TimeSpan.FromSeconds(request.Seconds));
            return new WebLoadReport(await WebLoadBenchmark.RunAsync(load, cancel), ServerInProcess: server is not null);
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            if (Directory.Exists(saves))
            {
                Directory.Delete(saves, recursive: true);
            }
        }
    }

    /// <summary>The picture centred on a 640x480 black frame (cropped where larger), as a JPEG of quality 80.</summary>
    private static byte[] MakeFrame(string path)
    {
        RgbaImage source = ImageCodecs.Load(path);
        var frame = new RgbaImage(640, 480);
        int offsetX = (640 - source.Width) / 2, offsetY = (480 - source.Height) / 2;
        for (int y = 0; y < 480; y++)
        {
            int sy = y - offsetY;
            if (sy < 0 || sy >= source.Height)
            {
                continue;
            }

            int x0 = Math.Max(0, offsetX), x1 = Math.Min(640, offsetX + source.Width);
            source.Row(sy).Slice((x0 - offsetX) * 4, (x1 - x0) * 4).CopyTo(frame.Row(y).Slice(x0 * 4));
        }

        for (int i = 3; i < frame.Pixels.Length; i += 4)
        {
            frame.Pixels[i] = 255;
        }

        return ImageCodecs.Encode(frame, ImageFileFormat.Jpeg, 80);
    }
}
