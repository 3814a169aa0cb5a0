using System.ComponentModel;

namespace Facemoji.Web.Api.Schemas;

/// <summary>The limits in GET /api/config.</summary>
[Description("The server's limits on what a client sends.")]
internal sealed record ConfigLimits(long MaxRequestBytes, long MaxImagePixels, int MaxSocketMessageBytes, int MaxConcurrentSockets);
