using System.Diagnostics;
using Facemoji.Web.Analysis;
using Facemoji.Web.Live;
using Facemoji.Web.Monitoring;
using Facemoji.Web.Packs;
using Facemoji.Web.Saves;

namespace Facemoji.Web;

/// <summary>What the endpoints share: options, packs, the analyzer pool, the saves folder and the socket gate.</summary>
internal sealed class ServerState
{
    public ServerState(ServerOptions options, WebPackCatalog packs)
    {
        Options = options;
        Packs = packs;
        Pool = new AnalyzerPool(options.Analyzer, options.Limits.MaxConcurrentAnalyses);
        Saves = new SaveStore(options.SavesFolder, options.Limits);
        Budget = new PixelBudget(options.Limits.MaxPixelsInFlight);
        Sockets = new SocketGate(options.Limits.MaxConcurrentSockets);
        Metrics = new ServerMetrics(() => Sockets.Open);
    }

    public ServerOptions Options { get; }

    public ServerLimits Limits => Options.Limits;

    public WebPackCatalog Packs { get; }

    public AnalyzerPool Pool { get; }

    public SaveStore Saves { get; }

    public SocketGate Sockets { get; }

    public ServerMetrics Metrics { get; }

    /// <summary>The decoded pixels in flight across the server.</summary>
    public PixelBudget Budget { get; }

    public Stopwatch Uptime { get; } = Stopwatch.StartNew();
}
