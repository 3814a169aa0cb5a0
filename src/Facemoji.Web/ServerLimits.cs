namespace Facemoji.Web;

/// <summary>
/// What one client may ask of the server. Each refusal is a 4xx with a JSON message that names the limit,
/// so a browser, a script or a load test can tell what went wrong.
/// </summary>
public sealed class ServerLimits
{
    /// <summary>The largest request body (an uploaded image, a saved picture): 10 MB.</summary>
    public long MaxRequestBytes { get; init; } = 10L * 1024 * 1024;

    /// <summary>The largest image decoded: 100 megapixels, checked from the header before any pixels are allocated.</summary>
    public long MaxImagePixels { get; init; } = 100_000_000;

    /// <summary>The largest WebSocket message (one camera frame): 4 MB.</summary>
    public int MaxSocketMessageBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>How many live sockets at once; each holds an analyzer and its tracker.</summary>
    public int MaxConcurrentSockets { get; init; } = 16;

    /// <summary>How many images are analysed at once over HTTP (each borrows an analyzer from a pool).</summary>
    public int MaxConcurrentAnalyses { get; init; } = Math.Max(2, Environment.ProcessorCount);
}
