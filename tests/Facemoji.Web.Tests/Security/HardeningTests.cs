using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Facemoji.Engine;
using Facemoji.Web.Api;

namespace Facemoji.Web.Tests.Security;

/// <summary>
/// Issue 14's web findings, each a regression test: foreign Host (DNS rebinding), cross-origin writes and sockets,
/// security headers, malformed multipart, wrong methods, ?size=abc, an address in use.
/// </summary>
public class HardeningTests : IClassFixture<WebServerFixture>
{
    private readonly WebServerFixture server;

    public HardeningTests(WebServerFixture server) => this.server = server;

    private HttpClient Client => server.Client;

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:5173")]
    [InlineData("127.0.0.1.evil.example")]
    public async Task A_foreign_host_is_refused_and_reads_no_saves(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/saves");
        request.Headers.Host = host;
        using var response = await Client.SendAsync(request);
        await ApiTests.ShouldBeRefusal(response, 421, "answers only to");
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task Loopback_names_are_served(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/saves");
        request.Headers.Host = $"{host}:{server.BaseAddress.Port}";
        using var response = await Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/api/saves")]
    [InlineData("/api/analyze")]
    public async Task A_cross_origin_post_is_refused_and_nothing_is_written(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(TestFiles.AstronautBytes()) { Headers = { ContentType = new MediaTypeHeaderValue("text/plain") } },
        };
        request.Headers.Add("Origin", "http://evil.example");
        using var response = await Client.SendAsync(request);
        await ApiTests.ShouldBeRefusal(response, 403, "cross-origin");
        Directory.Exists(server.SavesFolder).Should().BeFalse("no save may be written by another site's page");
    }

    [Fact]
    public async Task A_same_origin_post_from_the_page_is_served()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/analyze") { Content = new ByteArrayContent(TestFiles.AstronautBytes()) };
        request.Headers.Add("Origin", $"http://{server.BaseAddress.Authority}");
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var response = await Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_cross_site_fetch_without_origin_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/analyze") { Content = new ByteArrayContent(TestFiles.AstronautBytes()) };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var response = await Client.SendAsync(request);
        await ApiTests.ShouldBeRefusal(response, 403, "cross-origin");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_socket_from_a_foreign_origin_is_refused()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", "http://evil.example");
        var connect = () => socket.ConnectAsync(new Uri($"ws://{server.BaseAddress.Authority}/ws"), CancellationToken.None);
        await connect.Should().ThrowAsync<WebSocketException>();
        socket.HttpStatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_socket_from_the_own_origin_is_served()
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", $"http://{server.BaseAddress.Authority}");
        await socket.ConnectAsync(new Uri($"ws://{server.BaseAddress.Authority}/ws"), CancellationToken.None);
        (await LiveSocketTests.ReceiveJsonAsync(socket)).GetProperty("type").GetString().Should().Be("ready");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/health")]
    [InlineData("/api/nothing")]
    public async Task Every_answer_carries_the_security_headers(string path)
    {
        using var response = await Client.GetAsync(path);
        response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
        response.Headers.GetValues("X-Frame-Options").Single().Should().Be("DENY");
        string csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.Should().Contain("default-src 'self'").And.Contain("frame-ancestors 'none'");
    }

    [Fact]
    public async Task A_malformed_multipart_body_is_a_400_with_a_message()
    {
        // The boundary is announced but the body stops inside the first part.
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes("--XYZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\n\u0089PNG"));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=XYZ");
        using var response = await Client.PostAsync("/api/analyze", content);
        await ApiTests.ShouldBeRefusal(response, 400, "multipart");
    }

    [Theory]
    [InlineData("DELETE", "/api/saves", "GET")]
    [InlineData("PUT", "/api/analyze", "POST")]
    [InlineData("POST", "/api/health", "GET")]
    public async Task A_wrong_method_is_a_405_naming_the_right_one(string method, string path, string allowed)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await Client.SendAsync(request);
        await ApiTests.ShouldBeRefusal(response, 405, allowed);
        response.Content.Headers.Allow.Should().Contain(allowed);
    }

    [Fact]
    public async Task A_size_that_is_not_a_number_is_a_400_with_a_message()
    {
        using var response = await Client.GetAsync("/api/emoji/facemoji/happy/clear.png?size=abc");
        await ApiTests.ShouldBeRefusal(response, 400, "'abc' is not a whole number");
    }

    [Fact]
    public async Task An_address_in_use_is_one_clear_error()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using var second = FacemojiServer.Create(new ServerOptions
        {
            Urls = $"http://127.0.0.1:{port}",
            SavesFolder = server.SavesFolder,
            Analyzer = new Pipeline.AnalyzerOptions { ModelPath = TestFiles.ModelPath },
        });
        var start = () => second.StartAsync();
        (await start.Should().ThrowAsync<FacemojiException>()).Which.Message.Should().Contain("already in use").And.Contain(port.ToString());
    }

    [Fact]
    public async Task A_name_given_as_allowed_host_is_served_and_others_still_refused()
    {
        await using var behindBalancer = FacemojiServer.Create(new ServerOptions
        {
            Urls = "http://127.0.0.1:0",
            AllowedHosts = ["facemoji.example"],
            SavesFolder = server.SavesFolder,
            Analyzer = new Pipeline.AnalyzerOptions { ModelPath = TestFiles.ModelPath },
        });
        await behindBalancer.StartAsync();
        using var client = new HttpClient { BaseAddress = behindBalancer.Addresses[0] };

        using var named = new HttpRequestMessage(HttpMethod.Get, "/api/saves");
        named.Headers.Host = "Facemoji.Example:8080";
        using var served = await client.SendAsync(named);
        served.StatusCode.Should().Be(HttpStatusCode.OK);

        using var other = new HttpRequestMessage(HttpMethod.Get, "/api/saves");
        other.Headers.Host = "evil.example";
        using var refused = await client.SendAsync(other);
        await ApiTests.ShouldBeRefusal(refused, 421, "answers only to");
    }
}
