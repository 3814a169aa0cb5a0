using System.ComponentModel;

namespace Facemoji.Web.Api.Schemas;

/// <summary>One entry of GET /api/packs.</summary>
[Description("An emoji pack this server offers.")]
internal sealed record PackInfo(
    string Name,
    string Description,
    [property: Description("Whether its pictures are also served as SVG.")] bool Svg);
