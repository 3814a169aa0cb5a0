using Spectre.Console;

namespace Facemoji.Cli;

/// <summary>
/// The two consoles of the CLI: tables and reports go to standard output; progress bars go to standard error,
/// so that `--json` output on standard output stays clean for other programs.
/// </summary>
public static class CliConsole
{
    public static IAnsiConsole Out => AnsiConsole.Console;

    public static IAnsiConsole Error { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
}
