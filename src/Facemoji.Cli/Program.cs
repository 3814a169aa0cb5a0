using System.CommandLine;
using Facemoji.Cli.Commands;

namespace Facemoji.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("Facemoji: reads the expression on a face and answers with an emoji.");
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        return CliErrors.Run(() => root.Parse(args).Invoke());
    }
}
