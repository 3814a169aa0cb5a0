using System.CommandLine;
using Facemoji.Cli.Commands;

namespace Facemoji.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        CliConsole.Configure();
        var root = new RootCommand("Facemoji: reads the expression on a face and answers with an emoji.");
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        // System.CommandLine's own handler would print a stack trace; CliErrors turns exceptions into one line.
        var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        return CliErrors.Run(() => root.Parse(args).Invoke(invocation));
    }
}
