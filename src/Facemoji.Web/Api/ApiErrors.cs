using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Facemoji.Web.Api;

/// <summary>
/// Middleware that answers every failure as JSON, <c>{"error": message, "status": code}</c>: refusals
/// (<see cref="ApiProblem"/>, Kestrel's own limits) keep their 4xx status; a <see cref="FacemojiException"/>
/// from the server's side (no model, say) is a 500 with its message; anything else a 500 without details.
/// </summary>
internal static class ApiErrors
{
    public static Func<HttpContext, RequestDelegate, Task> Handler(ServerLimits limits) => (context, next) => HandleAsync(context, next, limits);

    private static async Task HandleAsync(HttpContext context, RequestDelegate next, ServerLimits limits)
    {
        try
        {
            await next(context);
        }
        catch (ApiProblem problem)
        {
            await WriteAsync(context, problem.Status, problem.Message);
        }
        catch (BadHttpRequestException bad)
        {
            string message = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? $"the request body is over the limit of {limits.MaxRequestBytes / 1048576.0:0.#} MB"
                : $"bad request: {bad.Message}";
            await WriteAsync(context, bad.StatusCode, message);
        }
        catch (FacemojiException ex)
        {
            await WriteAsync(context, StatusCodes.Status500InternalServerError, ex.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left; there is no one to answer.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug, but the client still gets JSON (never an empty 500) and no internals.
            await WriteAsync(context, StatusCodes.Status500InternalServerError, "internal error: the server could not answer this request");
        }
    }

    public static Task WriteAsync(HttpContext context, int status, string message, string? allow = null)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        if (allow is not null)
        {
            context.Response.Headers.Allow = allow;
        }

        return context.Response.WriteAsync(JsonSerializer.Serialize(new Schemas.ApiError(message, status), WebJson.Options));
    }
}
