namespace Facemoji.Web;

/// <summary>What <c>facemoji serve</c> was asked for: where to listen, what to show first, where saves go.</summary>
public sealed class ServerOptions
{
    /// <summary>The default address: loopback only, so the camera never leaves the machine by accident.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5173";

    /// <summary>Kestrel URLs (semicolon-separated as ASP.NET Core reads them). Port 0 picks a free port.</summary>
    public string Urls { get; init; } = DefaultUrl;

    /// <summary>
    /// Host names the server also answers to, beside loopback and the names in <see cref="Urls"/>: the public name
    /// a load balancer or an ingress forwards (without it such requests get 421, the DNS-rebinding guard).
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>The pack the page starts with: a built-in, a user pack's name or a pack folder.</summary>
    public string Pack { get => pack; init => pack = value; }

    private string pack = "facemoji";

    /// <summary>The display mode the page starts with: cover, badge or panel.</summary>
    public string Mode { get; init; } = "cover";

    /// <summary>The folder that Save writes into (created when missing).</summary>
    public string SavesFolder { get; init; } = Path.Combine(Environment.CurrentDirectory, "saves");

    /// <summary>The limits every request is checked against.</summary>
    public ServerLimits Limits { get; init; } = new();

    /// <summary>The model and cascade; null for the pipeline's defaults (the shipped model, Haar frontal face).</summary>
    public Pipeline.AnalyzerOptions? Analyzer { get; init; }

    /// <summary>These options with another start pack (a user pack given by folder is served by its name).</summary>
    internal ServerOptions WithPack(string name)
    {
        var copy = (ServerOptions)MemberwiseClone();
        copy.pack = name;
        return copy;
    }
}
