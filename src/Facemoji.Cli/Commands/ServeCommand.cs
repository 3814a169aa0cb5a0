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
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen (semicolon-separated; port 0 picks a free one).",
            DefaultValueFactory = _ => ServerOptions.DefaultUrl,
        };
        var pack = new Option<string>("--pack")
        {
            Description = "The emoji pack the page starts with (facemoji, noto).",
            DefaultValueFactory = _ => "facemoji",
        };
        var mode = new Option<string>("--mode")
        {
            Description = "The display mode the page starts with: cover, badge or panel.",
            DefaultValueFactory = _ => "cover",
        };
        mode.AcceptOnlyFromAmong("cover", "badge", "panel");
        var saves = new Option<string>("--saves")
        {
            Description = "The folder where Save stores pictures.",
            DefaultValueFactory = _ => "saves",
        };

        var model = new Option<string?>("--model") { Description = $"The model file; default: the shipped model ({ShippedModel.RelativePath})." };

        var detector = DetectorOption.Create();

        var command = new Command("serve", "Start the local web app (camera, emoji, Save) and the HTTP API.");
        command.Options.Add(urls);
        command.Options.Add(pack);
        command.Options.Add(mode);
        command.Options.Add(saves);
        command.Options.Add(model);
        command.Options.Add(detector);
        command.SetAction(async (parseResult, cancel) =>
        {
            var options = new ServerOptions
            {
                Urls = parseResult.GetValue(urls)!,
                Pack = parseResult.GetValue(pack)!,
                Mode = parseResult.GetValue(mode)!,
                SavesFolder = Path.GetFullPath(parseResult.GetValue(saves)!),
                Analyzer = new AnalyzerOptions { ModelPath = parseResult.GetValue(model), Detector = parseResult.GetValue(detector) },
            };
            if (!FacemojiServer.IsLoopbackOnly(options.Urls))
            {
                Console.Error.WriteLine(
                    $"warning: {options.Urls} is reachable from other machines; anyone who can reach it can use the API and see the saved pictures.");
            }

            await using var server = FacemojiServer.Create(options);
            await server.StartAsync(cancel);
            foreach (Uri address in server.Addresses)
            {
                Console.WriteLine($"Facemoji is serving on {address} (saves go to {options.SavesFolder}); Ctrl+C stops it.");
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
        });
        return command;
    }
}
