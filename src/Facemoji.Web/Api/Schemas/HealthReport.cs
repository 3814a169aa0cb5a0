using System.ComponentModel;

namespace Facemoji.Web.Api.Schemas;

/// <summary>GET /api/health.</summary>
[Description("The server is up: version, analyzer, packs, open sockets, memory.")]
internal sealed record HealthReport(
    string Status,
    string Version,
    [property: Description("The model file, its checksum and the detector.")] string Analyzer,
    IReadOnlyList<string> Packs,
    [property: Description("Live camera sockets open now.")] int Sockets,
    [property: Description("Pixels of images being decoded or analysed now.")] long PixelsInFlight,
    [property: Description("The process's resident memory.")] long RssBytes,
    double UptimeSeconds);
