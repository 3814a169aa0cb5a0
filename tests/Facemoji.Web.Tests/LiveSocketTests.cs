using System.Buffers.Binary;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Facemoji.Imaging;

namespace Facemoji.Web.Tests;

/// <summary>The /ws protocol: ready, frames answered with tracked faces, bad frames answered with errors, the limits.</summary>
public class LiveSocketTests : IClassFixture<WebServerFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly WebServerFixture server;

    public LiveSocketTests(WebServerFixture server) => this.server = server;

    [Fact(Timeout = 60_000)]
    public async Task Frames_are_answered_with_tracked_smoothed_faces()
    {
        using var socket = await ConnectAsync(server.BaseAddress);
        (await ReceiveJsonAsync(socket)).GetProperty("type").GetString().Should().Be("ready");

        byte[] jpeg = ImageCodecs.Encode(ImageCodecs.Decode(TestFiles.AstronautBytes(), "astronaut"), ImageFileFormat.Jpeg, 80);
        int? track = null;
        for (uint id = 1; id <= 3; id++)
        {
            await SendFrameAsync(socket, id, jpeg);
            var answer = await ReceiveJsonAsync(socket);
            answer.GetProperty("type").GetString().Should().Be("frame", answer.ToString());
            answer.GetProperty("id").GetUInt32().Should().Be(id);
            answer.GetProperty("width").GetInt32().Should().Be(512);
            answer.GetProperty("serverMs").GetDouble().Should().BeGreaterThan(0);
            // The first frame shows its faces at once (issue 14); later ones keep the same track.
            var face = answer.GetProperty("faces").EnumerateArray().Should().ContainSingle().Subject;
            track ??= face.GetProperty("track").GetInt32();
            face.GetProperty("track").GetInt32().Should().Be(track, "the same face keeps its track id");
            face.GetProperty("emoji").GetString().Should().NotBeNullOrEmpty();
            face.GetProperty("hits").GetInt32().Should().Be((int)id);
            face.GetProperty("score").GetDouble().Should().BeInRange(0.5, 1, "BlazeFace, the default detector, is sure of her face");
            // The main face is chosen from the third frame a track was detected in, never before.
            var main = answer.GetProperty("main");
            if (id < 3)
            {
                main.ValueKind.Should().Be(JsonValueKind.Null, $"frame {id}: too early for a main face");
            }
            else
            {
                main.GetInt32().Should().Be(track!.Value);
            }
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_bad_frame_gets_an_error_and_the_socket_stays_usable()
    {
        using var socket = await ConnectAsync(server.BaseAddress);
        await ReceiveJsonAsync(socket);

        await SendFrameAsync(socket, 7, CraftedImages.Text);
        var error = await ReceiveJsonAsync(socket);
        error.GetProperty("type").GetString().Should().Be("error");
        error.GetProperty("id").GetUInt32().Should().Be(7);
        error.GetProperty("message").GetString().Should().Contain("PNG, JPEG");

        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, CancellationToken.None);
        (await ReceiveJsonAsync(socket)).GetProperty("message").GetString().Should().Contain("binary");

        await SendFrameAsync(socket, 8, ImageCodecs.Encode(new RgbaImage(64, 48), ImageFileFormat.Jpeg, 80));
        var answer = await ReceiveJsonAsync(socket);
        answer.GetProperty("type").GetString().Should().Be("frame");
        answer.GetProperty("faces").GetArrayLength().Should().Be(0, "a black frame has no face");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_message_over_4_MB_closes_the_socket_with_message_too_big()
    {
        using var socket = await ConnectAsync(server.BaseAddress);
        await ReceiveJsonAsync(socket);

        byte[] huge = new byte[5 * 1024 * 1024];
        // Sent in pieces: the server must stop at the limit, not after reading everything.
        try
        {
            for (int offset = 0; offset < huge.Length; offset += 256 * 1024)
            {
                await socket.SendAsync(huge.AsMemory(offset, 256 * 1024), WebSocketMessageType.Binary, offset + 256 * 1024 >= huge.Length, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
            // The server may close before the last piece is out.
        }

        var error = await ReceiveJsonAsync(socket);
        error.GetProperty("message").GetString().Should().Contain("4 MB");
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[1024];
        WebSocketReceiveResult last;
        do
        {
            last = await socket.ReceiveAsync(buffer, timeout.Token);
        }
        while (last.MessageType != WebSocketMessageType.Close);

        socket.CloseStatus.Should().Be(WebSocketCloseStatus.MessageTooBig);
    }

    internal static async Task<ClientWebSocket> ConnectAsync(Uri baseAddress)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(Patience);
        await socket.ConnectAsync(new Uri($"ws://{baseAddress.Authority}/ws"), timeout.Token);
        return socket;
    }

    internal static async Task SendFrameAsync(WebSocket socket, uint id, byte[] image)
    {
        byte[] message = new byte[4 + image.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(message, id);
        image.CopyTo(message, 4);
        await socket.SendAsync(message, WebSocketMessageType.Binary, true, CancellationToken.None);
    }

    internal static async Task<JsonElement> ReceiveJsonAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var message = new MemoryStream();
        var buffer = new byte[64 * 1024];
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        result.MessageType.Should().Be(WebSocketMessageType.Text);
        return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
    }
}

/// <summary>A server that allows one live socket at a time.</summary>
public class OneSocketServerFixture : WebServerFixture
{
    protected override ServerLimits Limits => new() { MaxConcurrentSockets = 1 };
}

public class SocketCapTests : IClassFixture<OneSocketServerFixture>
{
    private readonly OneSocketServerFixture server;

    public SocketCapTests(OneSocketServerFixture server) => this.server = server;

    [Fact(Timeout = 60_000)]
    public async Task A_socket_over_the_cap_is_refused_with_429_and_json()
    {
        using var first = await LiveSocketTests.ConnectAsync(server.BaseAddress);
        await LiveSocketTests.ReceiveJsonAsync(first);

        using var second = new ClientWebSocket();
        second.Options.CollectHttpResponseDetails = true;
        var connect = () => second.ConnectAsync(new Uri($"ws://{server.BaseAddress.Authority}/ws"), CancellationToken.None);
        await connect.Should().ThrowAsync<WebSocketException>();
        second.HttpStatusCode.Should().Be(HttpStatusCode.TooManyRequests);

        using var health = await server.Client.GetAsync("/api/health");
        JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("sockets").GetInt32().Should().Be(1);

        await first.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        // The slot is given back once the server has seen the close.
        for (int i = 0; i < 50 && (await server.Client.GetStringAsync("/api/health")).Contains("\"sockets\":1", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        using var third = await LiveSocketTests.ConnectAsync(server.BaseAddress);
        (await LiveSocketTests.ReceiveJsonAsync(third)).GetProperty("type").GetString().Should().Be("ready");
    }
}
