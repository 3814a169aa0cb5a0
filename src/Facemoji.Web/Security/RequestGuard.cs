using System.Net;
using Facemoji.Web.Api;
using Microsoft.AspNetCore.Http;

namespace Facemoji.Web.Security;

/// <summary>
/// The first middleware: only this machine's own page may drive the server.
/// <list type="bullet">
/// <item>Host filtering: the <c>Host</c> header must name loopback (<c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>) or a
/// host of the configured URLs (for a wildcard URL, this machine's name and addresses). A DNS-rebinding page, whose
/// requests carry its own name, gets 421 and reads nothing.</item>
/// <item>Origin checks: a state-changing request (any method but GET, HEAD, OPTIONS) and every <c>/ws</c> upgrade that
/// carries an <c>Origin</c> must come from the server's own origin (scheme, host and port of the request); a browser
/// always sends <c>Origin</c> on such requests, so another site's page gets 403. Scripts and curl send none and pass.
/// A browser's <c>Sec-Fetch-Site: cross-site</c> is refused the same way.</item>
/// <item>Headers on every answer: <c>nosniff</c>, a same-origin Content-Security-Policy with <c>frame-ancestors 'none'</c>,
/// <c>X-Frame-Options: DENY</c>, <c>Referrer-Policy: no-referrer</c> and <c>Cross-Origin-Resource-Policy: same-origin</c>.</item>
/// </list>
/// </summary>
internal sealed class RequestGuard
{
    private readonly HashSet<string> allowedHosts;

    public RequestGuard(string urls, IEnumerable<string>? extraHosts = null)
    {
        allowedHosts = AllowedHosts(urls);
        foreach (string host in extraHosts ?? [])
        {
            allowedHosts.Add(NormalizeHost(host.Trim()));
        }
    }

    /// <summary>The host names (lower case, IPv6 in brackets) a request's Host header may carry.</summary>
    public IReadOnlyCollection<string> Hosts => allowedHosts;

    public Func<HttpContext, RequestDelegate, Task> Middleware => (context, next) => GuardAsync(context, next);

    private async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        // On starting, not now: an error answer clears the headers set so far.
        context.Response.OnStarting(static state =>
        {
            AddSecurityHeaders((HttpContext)state);
            return Task.CompletedTask;
        }, context);
        HostString host = context.Request.Host;
        if (!host.HasValue || !allowedHosts.Contains(NormalizeHost(host.Host)))
        {
            await ApiErrors.WriteAsync(context, StatusCodes.Status421MisdirectedRequest,
                $"this server answers only to {string.Join(", ", allowedHosts.Order(StringComparer.Ordinal))} (the Host header was '{Clip(host.Value ?? "")}')");
            return;
        }

        bool changesState = !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method));
        bool isSocket = context.Request.Path.StartsWithSegments("/ws", StringComparison.Ordinal);
        if ((changesState || isSocket) && ForeignOrigin(context) is { } origin)
        {
            await ApiErrors.WriteAsync(context, StatusCodes.Status403Forbidden,
                $"cross-origin request refused: a page from '{Clip(origin)}' may not {(isSocket ? "open the camera socket" : "send " + context.Request.Method + " requests")}; use the page this server serves");
            return;
        }

        await next(context);
    }

    /// <summary>The offending origin when the request comes from another site's page, otherwise null.</summary>
    private static string? ForeignOrigin(HttpContext context)
    {
        string? origin = context.Request.Headers.Origin;
        if (origin is not null)
        {
            string own = $"{context.Request.Scheme}://{context.Request.Host.Value}";
            if (!string.Equals(origin, own, StringComparison.OrdinalIgnoreCase))
            {
                return origin;
            }
        }

        string? fetchSite = context.Request.Headers["Sec-Fetch-Site"];
        if (fetchSite is "cross-site" or "same-site")
        {
            return origin ?? $"({fetchSite} page)";
        }

        return null;
    }

    private static void AddSecurityHeaders(HttpContext context)
    {
        IHeaderDictionary headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        // The page is plain files from this server; the socket is named explicitly because older browsers do not let 'self' cover ws:.
        string socket = context.Request.Host.HasValue ? $" ws://{context.Request.Host.Value}" : "";
        headers.ContentSecurityPolicy =
            "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; " +
            $"connect-src 'self'{socket}; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    private static HashSet<string> AllowedHosts(string urls)
    {
        var hosts = new HashSet<string>(StringComparer.Ordinal) { "localhost", "127.0.0.1", "[::1]" };
        foreach (string url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string host = HostOf(url);
            if (host is "*" or "+" or "0.0.0.0" or "[::]")
            {
                AddThisMachine(hosts);
            }
            else if (host.Length > 0)
            {
                hosts.Add(NormalizeHost(host));
            }
        }

        return hosts;
    }

    private static string HostOf(string url)
    {
        int start = url.IndexOf("://", StringComparison.Ordinal);
        string rest = start < 0 ? url : url[(start + 3)..];
        int slash = rest.IndexOf('/');
        if (slash >= 0)
        {
            rest = rest[..slash];
        }

        if (rest.StartsWith('['))
        {
            int close = rest.IndexOf(']');
            return close < 0 ? rest : rest[..(close + 1)];
        }

        int colon = rest.LastIndexOf(':');
        return colon < 0 ? rest : rest[..colon];
    }

    private static void AddThisMachine(HashSet<string> hosts)
    {
        try
        {
            string name = Dns.GetHostName();
            hosts.Add(NormalizeHost(name));
            foreach (IPAddress address in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(a => a.Address))
            {
                hosts.Add(NormalizeHost(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString()));
            }
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or System.Net.NetworkInformation.NetworkInformationException)
        {
            // Without the machine's own names, only loopback answers: the safe side.
        }
    }

    private static string NormalizeHost(string host)
    {
        host = host.Trim().TrimEnd('.').ToLowerInvariant();
        // A scope id (fe80::1%eth0) is not part of what a browser sends.
        int percent = host.IndexOf('%');
        if (percent >= 0 && host.StartsWith('['))
        {
            host = host[..percent] + "]";
        }

        return host;
    }

    private static string Clip(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
