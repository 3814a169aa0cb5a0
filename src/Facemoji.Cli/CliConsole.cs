using Spectre.Console;

namespace Facemoji.Cli;

/// <summary>
/// The two consoles of the CLI: tables and reports go to standard output; progress bars go to standard error,
/// so that `--json` output on standard output stays clean for other programs. Colours, cursor codes and live
/// progress bars are written only to a terminal: into a pipe or a file each console writes plain text
/// (and <c>NO_COLOR</c> turns colours off everywhere).
/// </summary>
public static class CliConsole
{
    public static IAnsiConsole Out => AnsiConsole.Console;

    public static IAnsiConsole Error { get; } = Create(Console.Error, Console.IsErrorRedirected);

    /// <summary>Makes <see cref="AnsiConsole.Console"/> (standard output) plain when it is not a terminal; called once at start.</summary>
    public static void Configure() => AnsiConsole.Console = Create(Console.Out, Console.IsOutputRedirected);

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        bool plain = redirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
    }
}
