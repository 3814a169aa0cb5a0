using System.CommandLine;
using Facemoji.Cli.Commands.Analysis;
using Facemoji.Engine.Serialization;
using Facemoji.Pipeline;
using Facemoji.Web;

namespace Facemoji.Cli.Commands;

/// <summary>
/// <c>facemoji serve</c>: the local web app (camera on the left, the emoji of the expression on the right, Save)
/// and the HTTP API, on Kestrel. Loopback only unless <c>--urls</c> says otherwise, with a warning.
/// </summary>
public static class ServeCommand
{
    public static Command Create() => Create("serve", "Start the local web app (camera, emoji, Save) and the HTTP API.", openBrowser: false);

    /// <summary><c>facemoji live</c>: the same server, with the page opened in the default browser (or its address printed when none opens).</summary>
    public static Command CreateLive() => Create("live", "Start the web app and open its camera page in the default browser.", openBrowser: true);

    private static Command Create(string name, string description, bool openBrowser)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen (semicolon-separated; port 0 picks a free one).",
            DefaultValueFactory = _ => ServerOptions.DefaultUrl,
        };
        var pack = CommonOptions.Pack();
        var mode = CommonOptions.Mode();
        var saves = new Option<string>("--saves")
        {
            Description = "The folder where Save stores pictures; several servers behind one balancer may share it.",
            DefaultValueFactory = _ => "saves",
        };

        var model = CommonOptions.Model();
        var allowedHosts = new Option<string[]>("--allowed-hosts")
        {
            Description = "Host names the server also answers to (besides loopback and --urls), e.g. the name a load balancer forwards.",
            AllowMultipleArgumentsPerToken = true,
            HelpName = "name",
        };
        var detector = DetectorOption.Create();

        var command = new Command(name, description) { urls, pack, mode, saves, model, detector, allowedHosts };
        command.SetAction((parseResult, cancel) => RunAsync(
            new ServerOptions
            {
                Urls = parseResult.GetValue(urls)!,
                Pack = CanonicalPackName(parseResult.GetValue(pack)!),
                Mode = parseResult.GetValue(mode)!,
                SavesFolder = Path.GetFullPath(parseResult.GetValue(saves)!),
                Analyzer = new AnalyzerOptions { ModelPath = parseResult.GetValue(model), Detector = parseResult.GetValue(detector) },
                AllowedHosts = parseResult.GetValue(allowedHosts) ?? [],
            },
            openBrowser,
            cancel));
        return command;
    }

    /// <summary>Starts <see cref="FacemojiServer"/>, says where it listens (and opens the page for <c>live</c>), and serves until Ctrl+C.</summary>
    private static async Task<int> RunAsync(ServerOptions options, bool openBrowser, CancellationToken cancel)
    {
        if (!FacemojiServer.IsLoopbackOnly(options.Urls))
        {
            Console.Error.WriteLine($"warning: {options.Urls} is reachable from other machines; anyone who can reach it can use the API and see the saved pictures.");
        }

        Console.WriteLine($"model: {CommonOptions.DescribeModelFile(options.Analyzer?.ModelPath ?? ShippedModel.Locate())}");
        await using var server = FacemojiServer.Create(options);
        await server.StartAsync(cancel);
        foreach (Uri address in server.Addresses)
        {
            Console.WriteLine($"Facemoji is serving on {address} (saves go to {options.SavesFolder}); Ctrl+C stops it.");
        }

        if (openBrowser && server.Addresses.Count > 0)
        {
            string page = BrowserPage(server.Addresses[0], options.Pack, options.Mode);
            Console.WriteLine(Browser.TryOpen(page) ? $"Opened {page} in the default browser." : $"No browser could be opened here: open {page} yourself.");
        }

        try
        {
            await server.WaitForShutdownAsync(cancel);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: stopping is the point.
        }

        return 0;
    }

    /// <summary>The built-in packs by their own spelling (names are read in any case); user packs and folders as given.</summary>
    private static string CanonicalPackName(string pack) =>
        pack.Equals("facemoji", StringComparison.OrdinalIgnoreCase) || pack.Equals("noto", StringComparison.OrdinalIgnoreCase) ? pack.ToLowerInvariant() : pack;

    /// <summary>The page's address with the start settings in its query, as the page keeps them.</summary>
    public static string BrowserPage(Uri address, string pack, string mode)
    {
        // A wildcard address is reachable on loopback too, and a browser cannot open 0.0.0.0 or [::].
        string host = address.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : address.Host;
        var builder = new UriBuilder(address) { Host = host, Path = "/", Query = $"pack={Uri.EscapeDataString(pack)}&mode={Uri.EscapeDataString(mode)}" };
        return builder.Uri.ToString();
    }
}
