using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Facemoji.Web;

/// <summary>
/// The page: plain HTML, CSS and JavaScript embedded in the assembly (no build step, no files next to the
/// binary). Only the embedded names are served; a request names a resource, never a path on disk.
/// </summary>
internal static class StaticPage
{
    private const string Prefix = "wwwroot/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".json"] = "application/json; charset=utf-8",
    };

    public static void Map(IEndpointRouteBuilder app)
    {
        Assembly assembly = typeof(StaticPage).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(n => n[Prefix.Length..], n => ReadResource(assembly, n), StringComparer.Ordinal);

        app.MapGet("/", () => Serve(files, "index.html")).ExcludeFromDescription();
        foreach (string name in files.Keys)
        {
            string file = name;
            app.MapGet("/" + file, () => Serve(files, file)).ExcludeFromDescription();
        }
    }

    private static IResult Serve(Dictionary<string, byte[]> files, string name)
    {
        string type = ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
        return Results.Bytes(files[name], type);
    }

    private static byte[] ReadResource(Assembly assembly, string name)
    {
        using Stream stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
