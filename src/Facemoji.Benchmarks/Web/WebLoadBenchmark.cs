using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;

namespace Facemoji.Benchmarks.Web;

/// <summary>
/// Load on the live socket of <c>facemoji serve</c>, as browsers make it: N clients, each sending the same camera
/// frame at a fixed rate over /ws with at most one frame in flight, for a fixed time. Reads the server's resident
/// memory from /api/health every second, so growth over the run shows.
/// </summary>
public static class WebLoadBenchmark
{
    public static async Task<WebLoadResult> RunAsync(WebLoadSettings settings, CancellationToken cancel = default)
    {
        using var http = new HttpClient { BaseAddress = settings.Server, Timeout = TimeSpan.FromSeconds(10) };
        // One frame per client first: the analyzers are created and warm before the clock starts.
        await WarmUpAsync(settings, cancel);
        GC.Collect();
        long rssStart = await ReadRssAsync(http, cancel);

        var roundTrips = new ConcurrentBag<double>();
        var serverTimes = new ConcurrentBag<double>();
        var errors = new ConcurrentQueue<string>();
        long answered = 0, dropped = 0, failed = 0;
        var rssSamples = new List<(double, long)> { (0, rssStart) };
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        stop.CancelAfter(settings.Duration);

        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(1000, CancellationToken.None);
                rssSamples.Add((clock.Elapsed.TotalSeconds, await ReadRssAsync(http, CancellationToken.None)));
            }
        }, CancellationToken.None);

        var clients = Enumerable.Range(0, settings.Clients).Select(_ => Task.Run(async () =>
        {
            try
            {
                using var socket = await ConnectAsync(settings.Server, cancel);
                await ReceiveAsync(socket, cancel); // ready
                var period = TimeSpan.FromSeconds(1 / settings.FramesPerSecond);
                var next = clock.Elapsed;
                uint id = 0;
                while (!stop.IsCancellationRequested)
                {
                    long sent = Stopwatch.GetTimestamp();
                    await SendFrameAsync(socket, ++id, settings.Frame, cancel);
                    using var answer = await ReceiveAsync(socket, cancel);
                    double roundTrip = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                    var root = answer.RootElement;
                    if (root.GetProperty("type").GetString() == "frame" && root.GetProperty("id").GetUInt32() == id)
                    {
                        Interlocked.Increment(ref answered);
                        roundTrips.Add(roundTrip);
                        serverTimes.Add(root.GetProperty("serverMs").GetDouble());
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                        errors.Enqueue(root.ToString());
                    }

                    // Frames that fell due while this one was in flight are dropped, not queued.
                    next += period;
                    while (next < clock.Elapsed)
                    {
                        next += period;
                        Interlocked.Increment(ref dropped);
                    }

                    TimeSpan wait = next - clock.Elapsed;
                    if (wait > TimeSpan.Zero)
                    {
                        try
                        {
                            await Task.Delay(wait, stop.Token);
                        }
                        catch (OperationCanceledException)
                        {
                            break;
                        }
                    }
                }

                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancel);
            }
            catch (Exception ex) when (ex is WebSocketException or JsonException or IOException)
            {
                Interlocked.Increment(ref failed);
                errors.Enqueue(ex.Message);
            }
        }, cancel)).ToArray();

        await Task.WhenAll(clients);
        double elapsed = clock.Elapsed.TotalSeconds;
        await sampler;
        long rssEnd = await ReadRssAsync(http, cancel);
        rssSamples.Add((elapsed, rssEnd));
        return new WebLoadResult(
            settings, answered, dropped, failed, errors.Take(5).ToList(),
            Percentiles.Of(roundTrips), Percentiles.Of(serverTimes),
            rssStart, rssEnd, rssSamples.Max(s => s.Item2), rssSamples);
    }

    private static async Task WarmUpAsync(WebLoadSettings settings, CancellationToken cancel)
    {
        var sockets = await Task.WhenAll(Enumerable.Range(0, settings.Clients).Select(async _ =>
        {
            var socket = await ConnectAsync(settings.Server, cancel);
            (await ReceiveAsync(socket, cancel)).Dispose();
            await SendFrameAsync(socket, 1, settings.Frame, cancel);
            using var answer = await ReceiveAsync(socket, cancel);
            if (answer.RootElement.GetProperty("type").GetString() != "frame")
            {
                throw new InvalidOperationException($"the server did not answer the frame: {answer.RootElement}");
            }

            return socket;
        }));
        foreach (var socket in sockets)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "warm", cancel);
            socket.Dispose();
        }
    }

    private static async Task<long> ReadRssAsync(HttpClient http, CancellationToken cancel)
    {
        using var health = JsonDocument.Parse(await http.GetStringAsync("/api/health", cancel));
        return health.RootElement.GetProperty("rssBytes").GetInt64();
    }

    private static async Task<ClientWebSocket> ConnectAsync(Uri server, CancellationToken cancel)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{server.Authority}/ws"), cancel);
        return socket;
    }

    private static async Task SendFrameAsync(WebSocket socket, uint id, byte[] frame, CancellationToken cancel)
    {
        byte[] message = new byte[4 + frame.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(message, id);
        frame.CopyTo(message, 4);
        await socket.SendAsync(message, WebSocketMessageType.Binary, true, cancel);
    }

    private static async Task<JsonDocument> ReceiveAsync(WebSocket socket, CancellationToken cancel)
    {
        using var message = new MemoryStream();
        byte[] buffer = new byte[16 * 1024];
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(), cancel);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new IOException("the server closed the socket");
            }

            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return JsonDocument.Parse(message.ToArray());
    }
}
