using System.Net;
using System.Net.WebSockets;
using System.Text.Json;

namespace Facemoji.Web.Tests.Security;

public class SmallQuotaServerFixture : WebServerFixture
{
    protected override ServerLimits Limits => new() { MaxSaves = 2, MaxSavesPerMinute = 100, SocketIdleTimeout = TimeSpan.FromSeconds(1) };
}

public class RateLimitedServerFixture : WebServerFixture
{
    protected override ServerLimits Limits => new() { MaxSavesPerMinute = 1, MaxSavesBytes = 10L * 1024 * 1024 };
}

/// <summary>Saves have a quota (count, bytes, rate) and idle sockets give their slot back.</summary>
public class QuotaTests : IClassFixture<SmallQuotaServerFixture>
{
    private readonly SmallQuotaServerFixture server;

    public QuotaTests(SmallQuotaServerFixture server) => this.server = server;

    [Fact]
    public async Task Saves_beyond_the_count_quota_get_507()
    {
        byte[] photo = TestFiles.AstronautBytes();
        for (int i = 0; i < 2; i++)
        {
            using var ok = await server.Client.PostAsync("/api/saves", new ByteArrayContent(photo));
            ok.StatusCode.Should().Be(HttpStatusCode.Created);
        }

        using var full = await server.Client.PostAsync("/api/saves", new ByteArrayContent(photo));
        await ApiTests.ShouldBeRefusal(full, 507, "saves folder is full");
        Directory.GetFiles(server.SavesFolder).Should().HaveCount(2);
    }

    [Fact(Timeout = 30_000)]
    [Trait("Category", "Slow")]
    public async Task An_idle_socket_is_closed_and_gives_its_slot_back()
    {
        using var socket = await LiveSocketTests.ConnectAsync(server.BaseAddress);
        await LiveSocketTests.ReceiveJsonAsync(socket);
        var buffer = new byte[1024];
        // The server drops a socket silent for longer than SocketIdleTimeout (1 s here).
        var receive = async () => await socket.ReceiveAsync(buffer, CancellationToken.None);
        var started = DateTime.UtcNow;
        try
        {
            var result = await receive();
            result.MessageType.Should().Be(WebSocketMessageType.Close);
        }
        catch (WebSocketException)
        {
            // Aborted: the connection ended without a close frame, which is also "closed".
        }

        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(15));
        for (int i = 0; i < 50 && JsonDocument.Parse(await server.Client.GetStringAsync("/api/health")).RootElement.GetProperty("sockets").GetInt32() != 0; i++)
        {
            await Task.Delay(100);
        }

        JsonDocument.Parse(await server.Client.GetStringAsync("/api/health")).RootElement.GetProperty("sockets").GetInt32().Should().Be(0);
    }
}

public class SaveRateTests : IClassFixture<RateLimitedServerFixture>
{
    private readonly RateLimitedServerFixture server;

    public SaveRateTests(RateLimitedServerFixture server) => this.server = server;

    [Fact]
    public async Task Saves_beyond_the_rate_get_429()
    {
        byte[] photo = TestFiles.AstronautBytes();
        using var ok = await server.Client.PostAsync("/api/saves", new ByteArrayContent(photo));
        ok.StatusCode.Should().Be(HttpStatusCode.Created);
        using var fast = await server.Client.PostAsync("/api/saves", new ByteArrayContent(photo));
        await ApiTests.ShouldBeRefusal(fast, 429, "too many saves");
    }
}
