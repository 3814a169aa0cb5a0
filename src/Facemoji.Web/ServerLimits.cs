namespace Facemoji.Web;

/// <summary>
/// What one client may ask of the server. Each refusal is a 4xx with a JSON message that names the limit,
/// so a browser, a script or a load test can tell what went wrong.
/// </summary>
public sealed class ServerLimits
{
    /// <summary>The largest request body (an uploaded image, a saved picture): 10 MB.</summary>
    public long MaxRequestBytes { get; init; } = 10L * 1024 * 1024;

    /// <summary>
    /// The largest image decoded: 50 megapixels (a 50 MP phone photo), checked from the header before any pixels are
    /// allocated; the decoders' own byte budget (<see cref="Imaging.ImageLimits.MaxDecodeBytes"/>) is a little above it.
    /// </summary>
    public long MaxImagePixels { get; init; } = 50_000_000;

    /// <summary>The largest WebSocket message (one camera frame): 4 MB.</summary>
    public int MaxSocketMessageBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>How many live sockets at once; each holds an analyzer and its tracker.</summary>
    public int MaxConcurrentSockets { get; init; } = 16;

    /// <summary>
    /// The decoded megapixels in flight across the whole server (HTTP analyses, saves and camera frames together):
    /// an image waits until its pixels fit, so many large images at once cannot add up. One image may always run
    /// alone, so an image within <see cref="MaxImagePixels"/> is never refused for it.
    /// </summary>
    public long MaxPixelsInFlight { get; init; } = 100_000_000;

    /// <summary>How long a camera socket may stay silent (no frame, no ping answer) before it is closed: 60 s.</summary>
    public TimeSpan SocketIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many pictures the saves folder may hold; a save beyond it gets 507 until some are deleted.</summary>
    public int MaxSaves { get; init; } = 1000;

    /// <summary>How many bytes the saves folder may hold: 500 MB; a save beyond it gets 507.</summary>
    public long MaxSavesBytes { get; init; } = 500L * 1024 * 1024;

    /// <summary>How many saves per minute the server takes; beyond it, 429 (a page in a loop cannot fill the disk in seconds).</summary>
    public int MaxSavesPerMinute { get; init; } = 60;

    /// <summary>How many images are analysed at once over HTTP (each borrows an analyzer from a pool).</summary>
    public int MaxConcurrentAnalyses { get; init; } = Math.Max(2, Environment.ProcessorCount);
}
