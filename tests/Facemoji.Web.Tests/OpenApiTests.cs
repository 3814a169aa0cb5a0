using System.Net.Http.Json;
using System.Text.Json;

namespace Facemoji.Web.Tests;

/// <summary>The served OpenAPI document describes exactly the routes the server maps, with their methods.</summary>
public class OpenApiTests : IClassFixture<WebServerFixture>
{
    private readonly WebServerFixture server;

    public OpenApiTests(WebServerFixture server) => this.server = server;

    [Fact]
    public async Task Document_matches_the_mapped_routes()
    {
        var document = await server.Client.GetFromJsonAsync<JsonElement>("/openapi.json");
        document.GetProperty("openapi").GetString().Should().StartWith("3.");
        var paths = document.GetProperty("paths");
        var documented = paths.EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => (Route: p.Name, Method: m.Name.ToUpperInvariant())))
            .ToHashSet();

        var mapped = server.Server.ApiRoutes.ToHashSet();
        mapped.Should().Contain(("/api/analyze", "POST")).And.Contain(("/ws", "GET"));
        documented.Should().BeEquivalentTo(mapped);

        foreach (var path in paths.EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                operation.Value.GetProperty("summary").GetString().Should().NotBeNullOrWhiteSpace($"{operation.Name} {path.Name}");
                operation.Value.GetProperty("responses").EnumerateObject().Should().NotBeEmpty();
            }
        }
    }

    [Fact]
    public async Task Every_reference_in_the_document_resolves()
    {
        string text = await server.Client.GetStringAsync("/openapi.json");
        var document = JsonDocument.Parse(text).RootElement;
        foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(text, "\"\\$ref\":\\s*\"#/([^\"]+)\""))
        {
            JsonElement node = document;
            foreach (string part in match.Groups[1].Value.Split('/'))
            {
                node.TryGetProperty(part, out node).Should().BeTrue($"{match.Value} must point at something");
            }
        }
    }
}
