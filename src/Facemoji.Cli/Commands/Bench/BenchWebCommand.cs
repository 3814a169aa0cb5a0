using System.CommandLine;
using System.Text.Json;
using Facemoji.Benchmarks.Web;
using Facemoji.Pipeline;
using Facemoji.Web;
using Spectre.Console;

namespace Facemoji.Cli.Commands.Bench;

/// <summary>
/// <c>facemoji bench web</c>: load on the live socket of <c>facemoji serve</c> (default 8 clients at 10 frames/s for
/// 60 s, each frame a 640x480 JPEG of the sample photo): frames answered and dropped, errors, round trip and
/// server time per frame, and the server's resident memory at the start and the end. Against <c>--url</c>, or a
/// server started in this process on a free loopback port.
/// </summary>
public static class BenchWebCommand
{
    public static Command Create(BenchCommonOptions common)
    {
        var url = new Option<string?>("--url") { Description = "A running `facemoji serve` (default: start one in this process)." };
        var clients = new Option<int>("--clients") { Description = "Concurrent sockets.", DefaultValueFactory = _ => 8 };
        var fps = new Option<double>("--fps") { Description = "Frames offered per second by each client.", DefaultValueFactory = _ => 10 };
        var seconds = new Option<double>("--seconds") { Description = "How long the load runs (--quick: 10 s).", DefaultValueFactory = _ => 60 };
        var image = new Option<string>("--image")
        {
            Description = "The picture sent as every frame, padded or cropped to 640x480 (default: the sample photo).",
            DefaultValueFactory = _ => Path.Combine("third_party", "skimage", "astronaut.png"),
        };
        var model = CommonOptions.Model();

        var command = new Command("web", "Live-socket load on facemoji serve: latency, server time per frame, errors, memory.");
        common.AddTo(command);
        command.Options.Add(url);
        command.Options.Add(clients);
        command.Options.Add(fps);
        command.Options.Add(seconds);
        command.Options.Add(image);
        command.Options.Add(model);
        command.SetAction(async (parseResult, cancel) =>
        {
            BenchSettings settings = common.Read(parseResult);
            var request = new WebLoadRequest(
                parseResult.GetValue(url), parseResult.GetValue(image)!, parseResult.GetValue(clients), parseResult.GetValue(fps), settings.Quick ? 10 : parseResult.GetValue(seconds));
            WebLoadReport report = await WebLoadRun.RunAsync(request, (saves, sockets, token) => StartServerAsync(parseResult.GetValue(model), saves, sockets, token), cancel);
            Write(report, settings);
            return report.ExitCode;
        });
        return command;
    }

    private static void Write(WebLoadReport report, BenchSettings settings)
    {
        if (settings.Json)
        {
            WriteJson(report.Result, report.ServerInProcess);
        }
        else
        {
            WriteTable(report.Result, report.ServerInProcess);
        }
    }

    /// <summary>The server under load when no --url is given: facemoji serve in this process, on a free loopback port.</summary>
    private static async Task<(Uri Address, IAsyncDisposable Server)> StartServerAsync(string? model, string savesFolder, int maxSockets, CancellationToken cancel)
    {
        var server = FacemojiServer.Create(new ServerOptions
        {
            Urls = "http://127.0.0.1:0",
            SavesFolder = savesFolder,
            Limits = new ServerLimits { MaxConcurrentSockets = maxSockets },
            Analyzer = new AnalyzerOptions { ModelPath = model },
        });
        try
        {
            await server.StartAsync(cancel);
            return (server.Addresses[0], server);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static void WriteTable(WebLoadResult r, bool inProcess)
    {
        var s = r.Settings;
        var table = new Table().Title($"facemoji serve under load: {s.Clients} clients x {s.FramesPerSecond:0.#} frames/s for {s.Duration.TotalSeconds:0} s")
            .Caption(Markup.Escape(BenchMachine.Describe() + (inProcess ? " (server in this process)" : $" (server {s.Server})")));
        table.AddColumns("measure", "value");
        table.AddRow("frames answered", $"{r.Answered} ({r.AnsweredPerSecond:0.0}/s)");
        table.AddRow("frames dropped (one in flight)", $"{r.Dropped}");
        table.AddRow("errors", $"{r.Errors}");
        table.AddRow("round trip ms (median / p95 / max)", $"{r.RoundTripMs.Median:0.0} / {r.RoundTripMs.P95:0.0} / {r.RoundTripMs.Max:0.0}");
        table.AddRow("server ms per frame (median / p95 / max)", $"{r.ServerMs.Median:0.0} / {r.ServerMs.P95:0.0} / {r.ServerMs.Max:0.0}");
        table.AddRow("server RSS MB (start / end / peak)", $"{r.RssStartBytes / 1048576.0:0.0} / {r.RssEndBytes / 1048576.0:0.0} / {r.RssPeakBytes / 1048576.0:0.0}");
        AnsiConsole.Write(table);
        foreach (string error in r.ErrorSamples)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(error)}");
        }
    }

    private static void WriteJson(WebLoadResult r, bool inProcess)
    {
        using var json = new Utf8JsonWriter(Console.OpenStandardOutput(), new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("benchmark", "web");
        BenchMachine.Write(json);
        json.WriteBoolean("serverInProcess", inProcess);
        json.WriteNumber("clients", r.Settings.Clients);
        json.WriteNumber("framesPerSecond", r.Settings.FramesPerSecond);
        json.WriteNumber("seconds", r.Settings.Duration.TotalSeconds);
        json.WriteNumber("answered", r.Answered);
        json.WriteNumber("dropped", r.Dropped);
        json.WriteNumber("errors", r.Errors);
        Write(json, "roundTripMs", r.RoundTripMs);
        Write(json, "serverMs", r.ServerMs);
        json.WriteNumber("rssStartBytes", r.RssStartBytes);
        json.WriteNumber("rssEndBytes", r.RssEndBytes);
        json.WriteNumber("rssPeakBytes", r.RssPeakBytes);
        json.WriteStartArray("rssSamples");
        foreach (var (time, rss) in r.RssSamples)
        {
            json.WriteStartArray();
            json.WriteNumberValue(Math.Round(time, 1));
            json.WriteNumberValue(rss);
            json.WriteEndArray();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        Console.WriteLine();
    }

    private static void Write(Utf8JsonWriter json, string name, Percentiles p)
    {
        json.WriteStartObject(name);
        json.WriteNumber("median", Math.Round(p.Median, 2));
        json.WriteNumber("p95", Math.Round(p.P95, 2));
        json.WriteNumber("max", Math.Round(p.Max, 2));
        json.WriteNumber("count", p.Count);
        json.WriteEndObject();
    }
}
