using System.Text.Encodings.Web;
using System.Text.Json;

namespace Facemoji.Web.Api;

/// <summary>The one JSON style of the API: camelCase names, emoji written as themselves.</summary>
internal static class WebJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
