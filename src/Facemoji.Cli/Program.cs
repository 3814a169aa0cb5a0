using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using Facemoji.Cli.Commands;

namespace Facemoji.Cli;

public static partial class Program
{
    public static int Main(string[] args)
    {
        CliConsole.Configure();
        var root = BuildRoot();
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // System.CommandLine's own messages name .NET types ("as expected type 'System.Int32'"): ours name the option and what it takes.
            foreach (string message in FriendlyErrors(parseResult))
            {
                Console.Error.WriteLine($"error: {message}");
            }

            return SeeHelp(parseResult);
        }

        if (OptionLikeArguments(parseResult) is [_, ..] unknown)
        {
            foreach (string token in unknown)
            {
                Console.Error.WriteLine($"error: unknown option '{token}' (to name a file that starts with '-', put -- before it).");
            }

            return SeeHelp(parseResult);
        }

        // System.CommandLine's own handler would print a stack trace; CliErrors turns exceptions into one line.
        var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        return CliErrors.Run(() => parseResult.Invoke(invocation));
    }

    /// <summary>The <c>facemoji</c> command with every verb: what Main parses, and what the option-consistency test walks.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Facemoji: reads the expression on a face and answers with an emoji.");
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>
    /// A verb's file arguments that look like options: an unknown or mistyped option (image --min-face 20) would be read
    /// as a file name, reported as "file not found" while the rest ran. Anything after "--" is a file name; a negative
    /// number is left to the verb.
    /// </summary>
    public static IReadOnlyList<string> OptionLikeArguments(ParseResult parseResult)
    {
        if (parseResult.Tokens.Any(t => t.Type == TokenType.DoubleDash))
        {
            return [];
        }

        return parseResult.CommandResult.Children.OfType<ArgumentResult>()
            .SelectMany(argument => argument.Tokens)
            .Select(token => token.Value)
            .Where(value => value.Length > 1 && value[0] == '-'
                && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            .ToList();
    }

    private static int SeeHelp(ParseResult parseResult)
    {
        string verb = string.Join(' ', parseResult.CommandResult.Command is RootCommand ? [] : CommandPath(parseResult.CommandResult));
        Console.Error.WriteLine($"See 'facemoji {(verb.Length > 0 ? verb + " " : string.Empty)}--help'.");
        return CliErrors.UserError;
    }

    /// <summary>The parse errors in words a user reads: the option, the value, and what it should be; never a .NET type name.</summary>
    public static IReadOnlyList<string> FriendlyErrors(ParseResult parseResult) =>
        parseResult.Errors.Select(e => Friendly(e.Message)).Distinct().ToList();

    private static string Friendly(string message)
    {
        var match = TypeError().Match(message);
        if (!match.Success)
        {
            return message;
        }

        string type = match.Groups["type"].Value;
        string expected = type switch
        {
            _ when type.Contains("UInt") => "a whole number of 0 or more",
            _ when type.Contains("Int") => "a whole number",
            _ when type.Contains("Double") || type.Contains("Single") || type.Contains("Decimal") => "a number",
            _ when type.Contains("Boolean") => "true or false",
            _ => "a valid value",
        };
        return $"{match.Groups["option"].Value}: '{match.Groups["value"].Value}' is not {expected}.";
    }

    private static Stack<string> CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (var current = result; current is not null && current.Command is not RootCommand; current = current.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Push(current.Command.Name);
        }

        return names;
    }

    [GeneratedRegex(@"Cannot parse argument '(?<value>.*)' for (option|argument) '(?<option>.*)' as expected type '(?<type>.*)'")]
    private static partial Regex TypeError();
}
