using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Facemoji.Web.Tests.Security;

/// <summary>
/// Raw HTTP and WebSocket abuse against the real server on loopback: random and broken requests, mutated uploads
/// and socket frames. Every answer is a status below 500 with a JSON body (or a closed connection), and the server
/// still answers /api/health afterwards. Seeded, bounded in time.
/// </summary>
public class HttpAbuseTests : IClassFixture<WebServerFixture>
{
    private readonly WebServerFixture server;

    public HttpAbuseTests(WebServerFixture server) => this.server = server;

    [Theory(Timeout = 30_000)]
    [InlineData("GET / HTTP/1.1\r\n\r\n")]
    [InlineData("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n")]
    [InlineData("POST /api/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n")]
    [InlineData("POST /api/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n")]
    [InlineData("GET /api/emoji/facemoji/happy/clear.png?size=%00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")]
    [InlineData("GET /api/saves/..%2F..%2Fetc%2Fpasswd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")]
    [InlineData("GARBAGE\r\n\r\n")]
    public async Task Broken_raw_requests_get_a_4xx_or_a_closed_connection(string request)
    {
        string answer = await SendRawAsync(request);
        if (answer.Length > 0)
        {
            int status = int.Parse(answer.Split(' ')[1]);
            status.Should().BeInRange(400, 499, answer);
        }

        (await server.Client.GetAsync("/api/health")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact(Timeout = 60_000)]
    [Trait("Category", "Slow")]
    public async Task Mutated_uploads_never_get_a_5xx()
    {
        byte[] seed = TestFiles.AstronautBytes();
        var random = new Random(1414);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int cases = 0;
        while (cases < 40 && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            byte[] body = (byte[])seed.Clone();
            for (int i = random.Next(1, 20); i > 0; i--)
            {
                body[random.Next(body.Length)] ^= (byte)(1 << random.Next(8));
            }

            if (random.Next(3) == 0)
            {
                body = body[..random.Next(1, body.Length)];
            }

            using var response = await server.Client.PostAsync("/api/analyze", new ByteArrayContent(body));
            ((int)response.StatusCode).Should().BeLessThan(500, $"case {cases}: {await response.Content.ReadAsStringAsync()}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString().Should().NotBeNullOrEmpty();
            }

            cases++;
        }

        cases.Should().BeGreaterThan(5);
    }

    [Fact(Timeout = 60_000)]
    public async Task Mutated_socket_frames_get_errors_and_the_socket_stays_usable()
    {
        using var socket = await LiveSocketTests.ConnectAsync(server.BaseAddress);
        await LiveSocketTests.ReceiveJsonAsync(socket);
        var random = new Random(7);
        byte[] seed = TestFiles.AstronautBytes();
        for (uint id = 1; id <= 6; id++)
        {
            byte[] frame = new byte[4 + random.Next(0, 2000)];
            BitConverter.TryWriteBytes(frame, id);
            seed.AsSpan(0, frame.Length - 4).CopyTo(frame.AsSpan(4));
            await socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);
            var answer = await LiveSocketTests.ReceiveJsonAsync(socket);
            answer.GetProperty("type").GetString().Should().Be("error", answer.ToString());
        }

        await socket.SendAsync(Encoding.UTF8.GetBytes("not a frame"), WebSocketMessageType.Text, true, CancellationToken.None);
        (await LiveSocketTests.ReceiveJsonAsync(socket)).GetProperty("type").GetString().Should().Be("error");
        socket.State.Should().Be(WebSocketState.Open);
    }

    private async Task<string> SendRawAsync(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, server.BaseAddress.Port);
        using NetworkStream stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        client.Client.Shutdown(SocketShutdown.Send);
        using var reader = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await stream.CopyToAsync(reader, timeout.Token);
        }
        catch (IOException)
        {
            // Reset by the server: a closed connection is an acceptable answer to garbage.
        }
        catch (OperationCanceledException)
        {
            // Kept open after answering: what arrived is the answer.
        }

        return Encoding.ASCII.GetString(reader.ToArray());
    }
}
