using System.ComponentModel;

namespace Facemoji.Web.Api.Schemas;

/// <summary>GET /api/config.</summary>
[Description("What the page starts with: pack, display mode, the modes, the emotions, the limits.")]
internal sealed record ServerConfig(string Pack, string Mode, IReadOnlyList<string> Modes, IReadOnlyList<string> Emotions, ConfigLimits Limits);
