using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Facemoji.Imaging;
using Facemoji.Imaging.Processing;
using Facemoji.Pipeline;

namespace Facemoji.Web.Tests.Scaling;

/// <summary>
/// The issue's floor for several servers: three instances sharing one saves folder behind HAProxy, with the
/// shipped deploy/haproxy/haproxy.cfg (only its addresses replaced), under analyze, save and live-socket load;
/// one instance stops midway. No request started after the failover window fails, and every picture whose save
/// was acknowledged is in the gallery. Loopback only; about 20 s.
/// </summary>
public sealed class HaproxyFailoverTests
{
    private const string Haproxy = "/usr/sbin/haproxy";

    /// <summary>From the stop until the instance is down and HAProxy's checks (every 0.5 s, 2 failures) have noticed.</summary>
    private static readonly TimeSpan FailoverAfterStopped = TimeSpan.FromSeconds(2);

    private readonly ConcurrentQueue<Attempt> attempts = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();

    private sealed record Attempt(string Kind, TimeSpan Start, TimeSpan End, bool Ok, string? Server, string Detail);

    [SkippableFact(Timeout = 180_000)]
    [Trait("Category", "Slow")]
    public async Task Three_instances_behind_haproxy_survive_one_stopping_without_errors_or_lost_saves()
    {
        Skip.IfNot(File.Exists(Haproxy), $"{Haproxy} is missing: tools/setup.sh installs Debian's haproxy, and could not on this machine");

        string saves = Path.Combine(Path.GetTempPath(), $"facemoji-shared-saves-{Guid.NewGuid():N}");
        string config = Path.Combine(Path.GetTempPath(), $"facemoji-haproxy-{Guid.NewGuid():N}.cfg");
        var servers = new List<FacemojiServer>();
        Process? balancer = null;
        var balancerLog = new StringBuilder();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                var server = FacemojiServer.Create(new ServerOptions
                {
                    Urls = "http://127.0.0.1:0",
                    SavesFolder = saves,
                    Analyzer = new AnalyzerOptions { ModelPath = TestFiles.ModelPath },
                    // The save loop posts back to back for a test's worth of seconds; the per-minute rate limit
                    // (docs/SECURITY.md) has its own tests and is not what this one checks.
                    Limits = new ServerLimits { MaxSavesPerMinute = 100_000 },
                });
                await server.StartAsync();
                servers.Add(server);
            }

            Uri[] direct = servers.Select(s => s.Addresses.Single()).ToArray();
            int port = FreeLoopbackPort();
            File.WriteAllText(config, ShippedConfigFor(port, direct));
            balancer = StartBalancer(config, balancerLog);
            var front = new Uri($"http://127.0.0.1:{port}/");
            await WaitReadyAsync(front, balancer, balancerLog);

            using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = front, Timeout = TimeSpan.FromSeconds(20) };
            byte[] photo = SmallFacePhoto();
            byte[] savedPicture = ImageCodecs.Encode(Resizer.Resize(ImageCodecs.Decode(photo, "photo"), 64, 64), ImageFileFormat.Png);
            var savedNames = new ConcurrentBag<string>();

            using var stopLoad = new CancellationTokenSource();
            var load = new List<Task>
            {
                AnalyzeLoopAsync(http, photo, stopLoad.Token),
                AnalyzeLoopAsync(http, photo, stopLoad.Token),
                SaveLoopAsync(http, savedPicture, savedNames, stopLoad.Token),
            };
            load.AddRange(Enumerable.Range(0, 3).Select(_ => SocketLoopAsync(front, photo, stopLoad.Token)));

            await Task.Delay(TimeSpan.FromSeconds(4));
            int socketsOnVictim = await OpenSocketsAsync(direct[1]);

            // Round robin places the sockets among the other requests, so the three may all miss the instance that
            // stops: open more, a few at most, until one is on it.
            for (int extra = 0; socketsOnVictim == 0 && extra < 6; extra++)
            {
                load.Add(SocketLoopAsync(front, photo, stopLoad.Token));
                await Task.Delay(TimeSpan.FromSeconds(1));
                socketsOnVictim = await OpenSocketsAsync(direct[1]);
            }
            var serversSeenBefore = attempts.Where(a => a.Ok && a.Server is not null).Select(a => a.Server).ToHashSet();

            TimeSpan stopStarted = clock.Elapsed;
            await servers[1].DisposeAsync();
            servers.RemoveAt(1);
            TimeSpan windowEnd = clock.Elapsed + FailoverAfterStopped;

            await Task.Delay(FailoverAfterStopped + TimeSpan.FromSeconds(5));
            stopLoad.Cancel();
            await Task.WhenAll(load);

            var all = attempts.ToList();
            string Describe(IEnumerable<Attempt> list) => string.Join("\n", list.Take(20).Select(a =>
                $"{a.Kind} {a.Start.TotalSeconds:0.00}-{a.End.TotalSeconds:0.00}s via {a.Server ?? "?"}: {a.Detail}"));
            string context = $"stop began at {stopStarted.TotalSeconds:0.00}s, window ended at {windowEnd.TotalSeconds:0.00}s\n{balancerLog}";

            serversSeenBefore.Should().BeEquivalentTo(["s1", "s2", "s3"], "round robin spreads requests over the three instances before the stop");
            socketsOnVictim.Should().BeGreaterThan(0, "a live socket was on the instance that stops");

            var late = all.Where(a => a.Start > windowEnd).ToList();
            late.Where(a => !a.Ok).Should().BeEmpty($"no request after the failover window fails:\n{Describe(late.Where(a => !a.Ok))}\n{context}");
            late.Count(a => a.Kind == "analyze").Should().BeGreaterThan(5, context);
            late.Count(a => a.Kind == "frame").Should().BeGreaterThan(5, context);
            late.Count(a => a.Kind == "save").Should().BeGreaterThan(0, context);
            late.Where(a => a.Server is not null).Should().OnlyContain(a => a.Server != "s2", "the stopped instance gets no traffic after the window");
            all.Count(a => a.Kind == "connect" && a.Ok && a.Start > stopStarted).Should().BeGreaterThan(0, "the sockets of the stopped instance reconnected: " + Describe(all.Where(a => a.Kind == "connect")));

            // No saved picture is lost: every acknowledged save is in the gallery, whichever instance answers.
            var gallery = await http.GetFromJsonAsync<JsonElement>("/api/saves");
            var listed = gallery.EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToHashSet();
            savedNames.Should().NotBeEmpty();
            listed.Should().Contain(savedNames, "every acknowledged save is listed");
            foreach (string name in savedNames)
            {
                File.Exists(Path.Combine(saves, name)).Should().BeTrue(name);
            }
        }
        finally
        {
            if (balancer is { HasExited: false })
            {
                balancer.Kill();
                await balancer.WaitForExitAsync();
            }

            balancer?.Dispose();
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }

            File.Delete(config);
            if (Directory.Exists(saves))
            {
                Directory.Delete(saves, recursive: true);
            }
        }
    }

    /// <summary>deploy/haproxy/haproxy.cfg with its listening port and its three server addresses replaced.</summary>
    private static string ShippedConfigFor(int port, Uri[] servers)
    {
        string text = File.ReadAllText(Path.Combine(RepositoryFiles.RepositoryRoot, "deploy", "haproxy", "haproxy.cfg"));
        text.Should().Contain("bind 127.0.0.1:8080").And.Contain("127.0.0.1:5171").And.Contain("127.0.0.1:5173");
        text = text.Replace("bind 127.0.0.1:8080", $"bind 127.0.0.1:{port}");
        for (int i = 0; i < servers.Length; i++)
        {
            text = text.Replace($"127.0.0.1:{5171 + i}", servers[i].Authority);
        }

        return text;
    }

    private async Task AnalyzeLoopAsync(HttpClient http, byte[] photo, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await RecordAsync("analyze", async () =>
            {
                using var response = await http.PostAsync("/api/analyze", new ByteArrayContent(photo) { Headers = { ContentType = new("image/jpeg") } });
                string body = await response.Content.ReadAsStringAsync();
                return (response.StatusCode == HttpStatusCode.OK && body.Contains("\"faces\""), ServerOf(response), $"{(int)response.StatusCode} {Clip(body)}");
            });
        }
    }

    private async Task SaveLoopAsync(HttpClient http, byte[] picture, ConcurrentBag<string> names, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await RecordAsync("save", async () =>
            {
                using var response = await http.PostAsync("/api/saves", new ByteArrayContent(picture) { Headers = { ContentType = new("image/png") } });
                string body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    names.Add(JsonDocument.Parse(body).RootElement.GetProperty("name").GetString()!);
                }

                return (response.StatusCode == HttpStatusCode.Created, ServerOf(response), $"{(int)response.StatusCode} {Clip(body)}");
            });
            await Task.Delay(100, CancellationToken.None);
        }
    }

    /// <summary>A camera: frames one at a time, about 10 a second; a socket that closes is reopened, as the page does.</summary>
    private async Task SocketLoopAsync(Uri front, byte[] photo, CancellationToken stop)
    {
        uint id = 0;
        while (!stop.IsCancellationRequested)
        {
            ClientWebSocket? socket = null;
            bool connected = await RecordAsync("connect", async () =>
            {
                socket = new ClientWebSocket();
                await socket.ConnectAsync(new Uri($"ws://{front.Authority}/ws"), new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
                var ready = await LiveSocketTests.ReceiveJsonAsync(socket);
                return (ready.GetProperty("type").GetString() == "ready", null, ready.ToString());
            });
            if (!connected)
            {
                socket?.Dispose();
                await Task.Delay(100, CancellationToken.None);
                continue;
            }

            using (socket)
            {
                while (!stop.IsCancellationRequested)
                {
                    uint frame = ++id;
                    bool ok = await RecordAsync("frame", async () =>
                    {
                        await LiveSocketTests.SendFrameAsync(socket!, frame, photo);
                        var answer = await LiveSocketTests.ReceiveJsonAsync(socket!);
                        return (answer.GetProperty("type").GetString() == "frame" && answer.GetProperty("id").GetUInt32() == frame, null, Clip(answer.ToString()));
                    });
                    if (!ok)
                    {
                        break;
                    }

                    await Task.Delay(100, CancellationToken.None);
                }
            }
        }
    }

    private async Task<bool> RecordAsync(string kind, Func<Task<(bool Ok, string? Server, string Detail)>> action)
    {
        TimeSpan start = clock.Elapsed;
        (bool Ok, string? Server, string Detail) result;
        try
        {
            result = await action();
        }
        catch (Exception ex) when (ex is HttpRequestException or WebSocketException or IOException or OperationCanceledException or JsonException
                                   or FluentAssertions.Execution.AssertionFailedException or InvalidOperationException)
        {
            result = (false, null, $"{ex.GetType().Name}: {Clip(ex.Message)}");
        }

        attempts.Enqueue(new Attempt(kind, start, clock.Elapsed, result.Ok, result.Server, result.Detail));
        return result.Ok;
    }

    /// <summary>Which instance answered, from the sticky-session cookie HAProxy inserts (FACEMOJI_SERVER=s1|s2|s3).</summary>
    private static string? ServerOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Select(c => c.Split(';')[0]).Where(c => c.StartsWith("FACEMOJI_SERVER=", StringComparison.Ordinal)).Select(c => c["FACEMOJI_SERVER=".Length..]).FirstOrDefault()
            : null;

    private static async Task<int> OpenSocketsAsync(Uri server)
    {
        using var client = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(10) };
        return (await client.GetFromJsonAsync<JsonElement>("/api/health")).GetProperty("sockets").GetInt32();
    }

    private static Process StartBalancer(string config, StringBuilder log)
    {
        var start = new ProcessStartInfo(Haproxy) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "-db", "-f", config })
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start)!;
        void Append(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (log)
                {
                    log.AppendLine("haproxy: " + e.Data);
                }
            }
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitReadyAsync(Uri front, Process balancer, StringBuilder log)
    {
        using var client = new HttpClient { BaseAddress = front, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            balancer.HasExited.Should().BeFalse($"haproxy stopped: {log}");
            try
            {
                using var response = await client.GetAsync("/api/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"haproxy did not answer /api/health/ready in 20 s: {log}");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The face of the sample photo, 128x128, as a JPEG of a few kilobytes (small enough for HAProxy to retry).</summary>
    private static byte[] SmallFacePhoto()
    {
        RgbaImage face = Cropping.Crop(ImageCodecs.Decode(TestFiles.AstronautBytes(), "astronaut"), new PixelRect(120, 40, 200, 200));
        return ImageCodecs.Encode(Resizer.Resize(face, 128, 128), ImageFileFormat.Jpeg, 80);
    }

    private static string Clip(string text) => text.Length <= 160 ? text : text[..160] + "...";
}
