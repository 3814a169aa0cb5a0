using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Facemoji.Imaging;
using Facemoji.Pipeline;
using Facemoji.Pipeline.Tracking;
using Facemoji.Web.Api;

namespace Facemoji.Web.Live;

/// <summary>
/// One camera over a WebSocket. The protocol:
/// <list type="bullet">
/// <item>server, on open: <c>{"type":"ready","maxMessageBytes":N}</c>;</item>
/// <item>client: a binary message = frame id (uint32, little-endian) followed by a JPEG or PNG frame;</item>
/// <item>server: <c>{"type":"frame","id","width","height","serverMs","main","faces":[{"track","score","hits","box","emotion","confidence","intensity","emoji","probabilities"}]}</c>
/// (<c>main</c>: the track id of the main face, chosen by <see cref="MainFaceChooser"/>, or null),</item>
/// or <c>{"type":"error","id","message"}</c> for a frame it could not read (the socket stays open);</item>
/// <item>a message over the limit: an error, then the socket is closed with 1009 (message too big).</item>
/// </list>
/// The client keeps at most one frame in flight, so the server never queues: it answers each frame in turn.
/// Time for smoothing is the server's clock since the socket opened.
/// </summary>
internal sealed class LiveSession
{
    public const int HeaderBytes = 4;

    private readonly WebSocket socket;
    private readonly VideoFaceAnalyzer analyzer;
    private readonly ServerLimits limits;
    private readonly Analysis.PixelBudget budget;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly MainFaceChooser mainFace = new();

    public LiveSession(WebSocket socket, VideoFaceAnalyzer analyzer, ServerLimits limits, Analysis.PixelBudget budget)
    {
        this.socket = socket;
        this.analyzer = analyzer;
        this.limits = limits;
        this.budget = budget;
    }

    /// <summary>Where frames, faces and bad frames are counted for /metrics.</summary>
    public Monitoring.ServerMetrics? Metrics { get; init; }

    public async Task RunAsync(CancellationToken cancel)
    {
        await SendAsync(json =>
        {
            json.WriteString("type", "ready");
            json.WriteNumber("maxMessageBytes", limits.MaxSocketMessageBytes);
        }, cancel);

        byte[] buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                int length = 0;
                ValueWebSocketReceiveResult received;
                do
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length > limits.MaxSocketMessageBytes)
                        {
                            await RefuseTooBigAsync(cancel);
                            return;
                        }

                        byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limits.MaxSocketMessageBytes + 1));
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    received = await ReceiveWithinIdleTimeoutAsync(buffer.AsMemory(length), cancel);
                    length += received.Count;
                    if (length > limits.MaxSocketMessageBytes)
                    {
                        await RefuseTooBigAsync(cancel);
                        return;
                    }
                }
                while (!received.EndOfMessage);

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancel);
                    return;
                }

                if (received.MessageType == WebSocketMessageType.Binary)
                {
                    await AnswerFrameAsync(buffer.AsSpan(0, length).ToArray(), cancel);
                }
                else
                {
                    await SendAsync(json =>
                    {
                        json.WriteString("type", "error");
                        json.WriteString("message", "send frames as binary messages: a 4-byte little-endian frame id, then JPEG or PNG bytes");
                    }, cancel);
                }
            }
        }
        catch (IdleSocketException)
        {
            // A silent socket holds a slot that a camera page may need: drop it.
            socket.Abort();
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The browser went away or the server is stopping: nothing to answer.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask<ValueWebSocketReceiveResult> ReceiveWithinIdleTimeoutAsync(Memory<byte> into, CancellationToken cancel)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        idle.CancelAfter(limits.SocketIdleTimeout);
        try
        {
            return await socket.ReceiveAsync(into, idle.Token);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new IdleSocketException();
        }
    }

    private sealed class IdleSocketException : Exception;

    private async Task AnswerFrameAsync(byte[] message, CancellationToken cancel)
    {
        if (message.Length < HeaderBytes + 1)
        {
            await SendErrorAsync(null, "a frame message needs a 4-byte frame id followed by the image", cancel);
            return;
        }

        uint id = BinaryPrimitives.ReadUInt32LittleEndian(message);
        long start = Stopwatch.GetTimestamp();
        RgbaImage frame;
        IReadOnlyList<TrackedFace> faces;
        try
        {
            byte[] image = message[HeaderBytes..];
            string name = $"frame {id}";
            using (await budget.ReserveAsync(ImageUploads.CheckSize(image, name, limits), cancel))
            {
                frame = ImageUploads.Decode(image, name, limits);
                faces = analyzer.Process(frame, clock.Elapsed.TotalSeconds);
            }
        }
        catch (ApiProblem problem)
        {
            Metrics?.AnalysisFailed("live");
            await SendErrorAsync(id, problem.Message, cancel);
            return;
        }
        catch (FacemojiException problem)
        {
            Metrics?.AnalysisFailed("live");
            await SendErrorAsync(id, problem.Message, cancel);
            return;
        }

        Metrics?.Analysed("live", faces.Count, Stopwatch.GetElapsedTime(start));
        TrackedFace? main = mainFace.Choose(faces);
        double serverMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        await SendAsync(json =>
        {
            json.WriteString("type", "frame");
            json.WriteNumber("id", id);
            json.WriteNumber("width", frame.Width);
            json.WriteNumber("height", frame.Height);
            json.WriteNumber("serverMs", Math.Round(serverMs, 2));
            if (main is null)
            {
                json.WriteNull("main");
            }
            else
            {
                json.WriteNumber("main", main.TrackId);
            }

            LiveJson.WriteFaces(json, faces);
        }, cancel);
    }

    private Task SendErrorAsync(uint? id, string message, CancellationToken cancel) => SendAsync(json =>
    {
        json.WriteString("type", "error");
        if (id is { } frameId)
        {
            json.WriteNumber("id", frameId);
        }

        json.WriteString("message", message);
    }, cancel);

    private async Task RefuseTooBigAsync(CancellationToken cancel)
    {
        string message = $"a WebSocket message is over the limit of {limits.MaxSocketMessageBytes / 1048576.0:0.#} MB; send downscaled JPEG frames";
        await SendErrorAsync(null, message, cancel);
        await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "message over the size limit", cancel);
    }

    private async Task SendAsync(Action<Utf8JsonWriter> body, CancellationToken cancel)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        await socket.SendAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), WebSocketMessageType.Text, true, cancel);
    }
}
