using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Facemoji.Web.Api.Schemas;

/// <summary>GET /api/health/live and /api/health/ready.</summary>
[Description("A liveness or readiness answer.")]
internal sealed record ProbeStatus(
    [property: Description("ok, ready, or not ready.")] string Status,
    [property: Description("Why the instance is not ready."), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null);
