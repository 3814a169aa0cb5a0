using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Facemoji.Web.Tests;

/// <summary>
/// The OpenAPI document the server generates from its endpoints describes exactly the routes it maps, with their
/// methods, request bodies, answers and the error shape; the reference page renders it in Chromium without asking
/// anything of another host, under the server's Content-Security-Policy.
/// </summary>
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

    [Fact]
    public async Task Bodies_answers_and_refusals_have_their_schemas()
    {
        var document = await server.Client.GetFromJsonAsync<JsonElement>("/openapi.json");
        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (string name in new[] { "ApiError", "HealthReport", "ServerConfig", "PackInfo", "ImageAnalysis", "FaceReading", "SavedPicture", "ProbeStatus" })
        {
            schemas.TryGetProperty(name, out _).Should().BeTrue($"{name} is a documented shape");
        }

        Properties(schemas.GetProperty("ApiError")).Should().BeEquivalentTo(["error", "status"]);
        var analyze = document.GetProperty("paths").GetProperty("/api/analyze").GetProperty("post");
        analyze.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(c => c.Name)
            .Should().Contain(["image/png", "image/jpeg", "multipart/form-data"]);
        analyze.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Should().Contain(["annotate", "pack", "mode"]);
        var answers = analyze.GetProperty("responses");
        answers.GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()
            .Should().EndWith("/ImageAnalysis");
        document.GetProperty("paths").GetProperty("/api/emoji/{pack}/{emotion}/{file}").GetProperty("get").GetProperty("responses").GetProperty("200")
            .GetProperty("content").EnumerateObject().Select(c => c.Name).Should().BeEquivalentTo(["image/png", "image/svg+xml"]);
        foreach (string refusal in new[] { "400", "413", "415", "422" })
        {
            answers.GetProperty(refusal).GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()
                .Should().EndWith("/ApiError", $"a {refusal} has the error shape");
        }
    }

    [Fact]
    public async Task A_real_analysis_and_a_real_refusal_fit_their_schemas()
    {
        var document = await server.Client.GetFromJsonAsync<JsonElement>("/openapi.json");
        var schemas = document.GetProperty("components").GetProperty("schemas");
        using var photo = new ByteArrayContent(TestFiles.AstronautBytes());
        photo.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var answer = await server.Client.PostAsync("/api/analyze", photo);
        answer.IsSuccessStatusCode.Should().BeTrue();
        var analysis = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Names(analysis).Should().BeSubsetOf(Properties(schemas.GetProperty("ImageAnalysis")));
        var face = analysis.GetProperty("faces")[0];
        Names(face).Should().BeSubsetOf(Properties(schemas.GetProperty("FaceReading")));
        Required(schemas.GetProperty("FaceReading")).Should().BeSubsetOf(Names(face));

        using var refused = await server.Client.GetAsync("/api/emoji/no-such-pack/happy/strong.png");
        ((int)refused.StatusCode).Should().Be(404);
        Names(await refused.Content.ReadFromJsonAsync<JsonElement>()).Should().BeEquivalentTo(Properties(schemas.GetProperty("ApiError")));
    }

    [Fact(Timeout = 90_000)]
    [Trait("Category", "Slow")]
    public async Task The_reference_page_renders_every_endpoint_with_no_request_elsewhere()
    {
        await using var chromium = await Chromium.LaunchAsync(fakeCamera: null);
        IPage page = await chromium.NewPageAsync();
        var elsewhere = new List<string>();
        var problems = new List<string>();
        page.Request += (_, request) =>
        {
            if (!new Uri(request.Url).IsLoopback && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                elsewhere.Add(request.Url);
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Add(message.Text);
            }
        };
        var answer = await page.GotoAsync(new Uri(server.BaseAddress, "/api.html").ToString());
        answer!.Headers["content-security-policy"].Should().Contain("default-src 'self'", "the page keeps the server's policy");
        try
        {
            await page.Locator("body[data-rendered='true']").WaitForAsync(new() { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"the page did not render: {string.Join(" | ", problems)}");
        }

        var headings = (await page.Locator("article.operation h2").AllInnerTextsAsync())
            .Select(h => string.Concat(h.Where(c => !char.IsWhiteSpace(c)))).ToList();
        headings.Should().BeEquivalentTo(server.Server.ApiRoutes.Select(r => r.Method + r.Route), "the page shows every endpoint, once");

        (await page.Locator("#schema-ImageAnalysis").InnerTextAsync()).Should().Contain("faces");
        elsewhere.Should().BeEmpty("the reference page is served whole by the app");
        problems.Should().BeEmpty("nothing is refused by the Content-Security-Policy or fails");
    }

    private static HashSet<string> Names(JsonElement json) => json.EnumerateObject().Select(p => p.Name).ToHashSet();

    private static HashSet<string> Properties(JsonElement schema) => schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();

    private static HashSet<string> Required(JsonElement schema) =>
        schema.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()!).ToHashSet() : [];
}
