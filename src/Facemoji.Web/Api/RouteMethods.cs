using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace Facemoji.Web.Api;

/// <summary>
/// The answer for a request no endpoint took: 405 with an <c>Allow</c> header when the path exists for other
/// methods (<c>DELETE /api/saves</c>), otherwise 404. The fallback route matches every method, so without this
/// check ASP.NET Core's own 405 would never be reached.
/// </summary>
internal sealed class RouteMethods
{
    private readonly IEndpointRouteBuilder routes;
    private List<(TemplateMatcher Matcher, IReadOnlyList<string> Methods)>? matchers;

    public RouteMethods(IEndpointRouteBuilder routes) => this.routes = routes;

    public Task AnswerUnmatchedAsync(HttpContext context)
    {
        var allowed = AllowedMethods(context.Request.Path);
        if (allowed.Count > 0)
        {
            return ApiErrors.WriteAsync(context, StatusCodes.Status405MethodNotAllowed,
                $"{context.Request.Path} does not take {context.Request.Method}; use {string.Join(" or ", allowed)}", string.Join(", ", allowed));
        }

        return ApiErrors.WriteAsync(context, StatusCodes.Status404NotFound, "no such page or API route; see /openapi.json");
    }

    private List<string> AllowedMethods(PathString path)
    {
        matchers ??= routes.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is { HttpMethods.Count: > 0 })
            .Where(e => !(e.RoutePattern.RawText ?? "").Contains('*'))
            .Select(e => (new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary()),
                          e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods))
            .ToList();
        var allowed = new List<string>();
        foreach (var (matcher, methods) in matchers)
        {
            if (matcher.TryMatch(path, new RouteValueDictionary()))
            {
                allowed.AddRange(methods.Where(m => !allowed.Contains(m)));
            }
        }

        return allowed;
    }
}
