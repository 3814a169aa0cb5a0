using System.Net.WebSockets;
using Facemoji.Pipeline;
using Facemoji.Web.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Facemoji.Web.Live;

/// <summary><c>/ws[?sensitivity=low|normal|high]</c>: the live camera socket. Refuses a plain HTTP request (400) and a socket over the cap (429).</summary>
internal static class LiveEndpoint
{
    public static void Map(IEndpointRouteBuilder app, ServerState state)
    {
        // As a Delegate, not a RequestDelegate: a route handler, which the OpenAPI document describes.
        app.MapGet("/ws", (Delegate)(async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                throw new ApiProblem(StatusCodes.Status400BadRequest, "/ws is a WebSocket; open it with new WebSocket('ws://host/ws')");
            }

            if (!state.Sockets.TryEnter())
            {
                throw new ApiProblem(
                    StatusCodes.Status429TooManyRequests,
                    $"too many live connections (at most {state.Limits.MaxConcurrentSockets}); close another tab or try again later");
            }

            try
            {
                VideoFaceAnalyzer analyzer = state.Pool.CreateLive(context.Request.Query["sensitivity"].ToString());
                using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
                state.Metrics.SocketOpened();
                await new LiveSession(socket, analyzer, state.Limits, state.Budget) { Metrics = state.Metrics }.RunAsync(context.RequestAborted);
            }
            finally
            {
                state.Sockets.Exit();
            }
        }))
            .WithSummary("The live camera WebSocket (a WebSocket opens with GET).")
            .WithDescription("Client: binary messages, a 4-byte little-endian frame id then a JPEG or PNG frame, at most one in flight. " +
                "Server: {\"type\":\"ready\"} on open, then {\"type\":\"frame\",\"id\",\"width\",\"height\",\"serverMs\",\"faces\":[...]} " +
                "(faces as in ImageAnalysis, plus \"track\") or {\"type\":\"error\",\"id\",\"message\"}. A message over the limit closes the socket with 1009. " +
                "Query: sensitivity=low|normal|high.")
            .Produces(StatusCodes.Status101SwitchingProtocols)
            .Refuses(StatusCodes.Status400BadRequest, StatusCodes.Status429TooManyRequests);
    }
}
