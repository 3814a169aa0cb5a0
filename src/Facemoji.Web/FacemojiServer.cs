using System.Net;
using Facemoji.Web.Api;
using Facemoji.Web.Live;
using Facemoji.Web.Monitoring;
using Facemoji.Web.Packs;
using Facemoji.Web.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Facemoji.Web;

/// <summary>
/// The local web app and HTTP API of <c>facemoji serve</c>: Kestrel with the embedded page, <c>/api/*</c>
/// and the <c>/ws</c> camera socket. Start it, read <see cref="Addresses"/>, dispose it to stop.
/// </summary>
public sealed class FacemojiServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string urls;

    private FacemojiServer(WebApplication app, string urls)
    {
        this.app = app;
        this.urls = urls;
    }

    /// <summary>The addresses Kestrel listens on, after <see cref="StartAsync"/> (port 0 resolved).</summary>
    public IReadOnlyList<Uri> Addresses =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();

    /// <summary>
    /// The API routes and their methods (the page's files, the OpenAPI document itself and the fallback left out):
    /// what openapi.json must describe.
    /// </summary>
    internal IReadOnlyList<(string Route, string Method)> ApiRoutes =>
        ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .Where(e => !e.RoutePattern.RawText!.Contains('*'))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => ("/" + e.RoutePattern.RawText!.TrimStart('/'), m)))
            .ToList();

    /// <summary>Builds the server; nothing listens until <see cref="StartAsync"/>.</summary>
    public static FacemojiServer Create(ServerOptions options)
    {
        // Two pool threads (the minimum on a 2-core machine) are too few once analyses block on their parallel
        // loops: new threads come only every half second. More warm threads keep request handling flowing.
        ThreadPool.GetMinThreads(out int workers, out int completions);
        ThreadPool.SetMinThreads(Math.Max(workers, 4 * Environment.ProcessorCount + 8), completions);
        var packs = WebPackCatalog.Discover();
        options = packs.AddStartPack(options);
        CheckOptions(options, packs);
        var state = new ServerState(options, packs);
        var guard = new RequestGuard(options.Urls, options.AllowedHosts);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Our own checks answer with a JSON message first; Kestrel's limit is the backstop for
            // bodies that lie about their length (a little above ours, for multipart framing).
            kestrel.Limits.MaxRequestBodySize = options.Limits.MaxRequestBytes + 64 * 1024;
            kestrel.AddServerHeader = false;
            // Idle keep-alive connections and slow headers give their slot back; sockets have their own idle timeout.
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(30);
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
            kestrel.Limits.MaxConcurrentConnections = 256;
            kestrel.Limits.MaxConcurrentUpgradedConnections = options.Limits.MaxConcurrentSockets * 2;
        });
        // A parameter that does not bind (?size=abc) throws, so ApiErrors answers with a message instead of an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        builder.Services.Configure<FormOptions>(form =>
        {
            form.MultipartBodyLengthLimit = options.Limits.MaxRequestBytes;
            form.ValueCountLimit = 64;
        });
        ApiDocument.AddTo(builder.Services, options.Limits);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Kestrel logs a failed start (port in use) with its stack trace; StartAsync reports it as one line instead.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", level => level is LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", level => level is LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting", level => level is LogLevel.Warning);

        WebApplication app = builder.Build();
        MonitoringEndpoints.UseRequestMetrics(app, state.Metrics);
        app.Use(guard.Middleware);
        app.Use(ApiErrors.Handler(options.Limits));
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        StaticPage.Map(app);
        ApiEndpoints.Map(app, state);
        LiveEndpoint.Map(app, state);
        MonitoringEndpoints.Map(app, state);
        ApiDocument.Map(app);
        var methods = new RouteMethods(app);
        app.MapFallback(context => methods.AnswerUnmatchedAsync(context));
        return new FacemojiServer(app, options.Urls);
    }

    /// <summary>True when every address is loopback; <c>facemoji serve</c> warns otherwise (the page shows a camera).</summary>
    public static bool IsLoopbackOnly(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(IsLoopback);

    /// <summary>Starts listening; an address in use or not available is a <see cref="FacemojiException"/> in one line.</summary>
    public async Task StartAsync(CancellationToken cancel = default)
    {
        try
        {
            await app.StartAsync(cancel);
        }
        catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            throw new FacemojiException($"--urls: {urls} is already in use (another facemoji serve?); stop it or pick another port, e.g. --urls http://127.0.0.1:5174", ex);
        }
        catch (IOException ex)
        {
            throw new FacemojiException($"--urls: cannot listen there ({ex.Message.Split('\n')[0].Trim()})", ex);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            throw new FacemojiException($"--urls: cannot listen there ({ex.Message})", ex);
        }
    }

    /// <summary>Runs until Ctrl+C or the token.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancel = default) => Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.WaitForShutdownAsync(app, cancel);

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(stopping.Token);
        await app.DisposeAsync();
    }

    private static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out Uri? uri))
        {
            return false;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? ip) && IPAddress.IsLoopback(ip));
    }

    private static void CheckOptions(ServerOptions options, WebPackCatalog packs)
    {
        if (!packs.TryGet(options.Pack, out _))
        {
            throw new FacemojiException($"--pack: no pack named '{options.Pack}' (available: {string.Join(", ", packs.All.Select(p => p.Name))})");
        }

        if (options.Mode.ToLowerInvariant() is not ("cover" or "badge" or "panel"))
        {
            throw new FacemojiException($"--mode: '{options.Mode}' is not a display mode (cover, badge or panel)");
        }

        foreach (string url in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            {
                throw new FacemojiException($"--urls: '{url}' is not an http:// address (like {ServerOptions.DefaultUrl})");
            }
        }
    }
}
