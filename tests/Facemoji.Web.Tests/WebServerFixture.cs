using System.Net.Http.Json;
using System.Text.Json;
using Facemoji.Pipeline;
using Facemoji.Web;

namespace Facemoji.Web.Tests;

/// <summary>
/// The real server, in process, on a free loopback port (port 0), with a fresh saves folder; waits for
/// /api/health before the tests run and always stops the server and deletes the folder afterwards.
/// </summary>
public class WebServerFixture : IAsyncLifetime
{
    private FacemojiServer? server;

    public string SavesFolder { get; } = Path.Combine(Path.GetTempPath(), $"facemoji-web-tests-{Guid.NewGuid():N}");

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    internal FacemojiServer Server => server!;

    protected virtual ServerLimits Limits => new();

    public async Task InitializeAsync()
    {
        server = FacemojiServer.Create(new ServerOptions
        {
            Urls = "http://127.0.0.1:0",
            SavesFolder = SavesFolder,
            Limits = Limits,
            Analyzer = new AnalyzerOptions { ModelPath = TestFiles.ModelPath },
        });
        await server.StartAsync();
        BaseAddress = server.Addresses.Single();
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var health = await Client.GetAsync("/api/health");
        health.EnsureSuccessStatusCode();
        (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("ok");
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        if (Directory.Exists(SavesFolder))
        {
            Directory.Delete(SavesFolder, recursive: true);
        }
    }
}
