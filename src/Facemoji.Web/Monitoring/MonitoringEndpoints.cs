using System.Diagnostics;
using Facemoji.Web.Api;
using Facemoji.Web.Api.Schemas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Facemoji.Web.Monitoring;

/// <summary>
/// What a load balancer and a scheduler ask: <c>/api/health/live</c> (the process answers: restart it if not),
/// <c>/api/health/ready</c> (send it traffic: 503 while it stops or when the saves folder cannot be written), and
/// <c>/metrics</c>; plus the middleware that counts and times every request for <see cref="ServerMetrics"/>.
/// </summary>
internal static class MonitoringEndpoints
{
    public static void UseRequestMetrics(IApplicationBuilder app, ServerMetrics metrics) => app.Use(async (context, next) =>
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            // The route pattern, not the path, keeps the label set small (every saved picture is one route).
            string route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } pattern && !pattern.Contains('*')
                ? "/" + pattern.TrimStart('/')
                : "other";
            bool socket = route == "/ws";
            metrics.Request(context.Request.Method, route, context.Response.StatusCode, socket ? null : Stopwatch.GetElapsedTime(start));
        }
    });

    public static void Map(WebApplication app, ServerState state)
    {
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        app.MapGet("/api/health/live", () => Results.Json(new ProbeStatus("ok"), WebJson.Options))
            .Answers<ProbeStatus>("Liveness: the process answers (a scheduler restarts an instance whose liveness fails).");
        app.MapGet("/api/health/ready", () =>
        {
            string? problem = lifetime.ApplicationStopping.IsCancellationRequested ? "stopping"
                : !state.Saves.CanWrite() ? $"the saves folder {state.Saves.Folder} cannot be written"
                : null;
            return problem is null
                ? Results.Json(new ProbeStatus("ready"), WebJson.Options)
                : Results.Json(new ProbeStatus("not ready", problem), WebJson.Options, statusCode: StatusCodes.Status503ServiceUnavailable);
        })
            .Answers<ProbeStatus>("Readiness: send this instance traffic; 503 while it is stopping or when the saves folder cannot be written.")
            .Produces<ProbeStatus>(StatusCodes.Status503ServiceUnavailable, "application/json");
        app.MapGet("/metrics", (Delegate)(async (HttpContext context) =>
        {
            context.Response.ContentType = ServerMetrics.ContentType;
            await state.Metrics.WriteAsync(context.Response.Body, context.RequestAborted);
        }))
            .AnswersFile("Prometheus text format 0.0.4: requests by route and status, latency histograms, pictures analysed, faces, analysis errors, live sockets, memory.", "text/plain");
    }
}
