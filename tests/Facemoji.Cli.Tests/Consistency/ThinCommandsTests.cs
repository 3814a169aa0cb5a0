using System.Text.RegularExpressions;

namespace Facemoji.Cli.Tests.Consistency;

/// <summary>
/// Commands are thin: a verb binds its options, calls one library entry point and prints. Measured on the source
/// of src/Facemoji.Cli/Commands: every <c>Create*</c> method, every <c>Run*</c> handler and every lambda given to
/// <c>SetAction</c> is at most <see cref="MaxLines"/> lines, from its first line to its closing brace.
/// </summary>
public sealed partial class ThinCommandsTests
{
    public const int MaxLines = 40;

    [Fact]
    public void No_command_handler_is_longer_than_forty_lines()
    {
        var tooLong = Measure().Where(m => m.Lines > MaxLines).Select(m => $"{m.Key} ({m.Lines} lines)");
        tooLong.Should().BeEmpty($"a command binds options, calls one library entry point and prints, in at most {MaxLines} lines: move the logic into a library");
    }

    [Fact]
    public void The_measure_finds_the_handlers_of_every_verb()
    {
        var measured = Measure().ToList();
        measured.Select(m => m.Key).Should().Contain(["ImageCommand.cs:Create", "ImageCommand.cs:Run", "TrainCommand.cs:Create", "ServeCommand.cs:CreateLive"]);
        measured.Count(m => m.Key.EndsWith(":SetAction", StringComparison.Ordinal)).Should().BeGreaterThan(10, "every verb sets an action");
        measured.Should().OnlyContain(m => m.Lines >= 1);
        measured.Single(m => m.Key == "ImageCommand.cs:Create").Lines.Should().BeInRange(15, MaxLines, "Create declares the options and sets the action");
    }

    public sealed record Member(string Key, int Lines);

    /// <summary>Every Create*/Run* method and SetAction lambda of the command sources, with its length in lines.</summary>
    public static IEnumerable<Member> Measure()
    {
        string commands = Path.Combine(RepositoryRoot(), "src", "Facemoji.Cli", "Commands");
        foreach (string file in Directory.EnumerateFiles(commands, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string name = Path.GetRelativePath(commands, file).Replace('\\', '/');
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                var method = MethodDeclaration().Match(lines[i]);
                if (method.Success)
                {
                    yield return new Member($"{name}:{method.Groups["name"].Value}", Span(lines, i, method.Groups["indent"].Value));
                }
                else if (SetAction().Match(lines[i]) is { Success: true } action)
                {
                    yield return new Member($"{name}:SetAction", Span(lines, i, action.Groups["indent"].Value));
                }
            }
        }
    }

    /// <summary>Lines from <paramref name="start"/> to the first line at the same indentation that closes the block.</summary>
    private static int Span(string[] lines, int start, string indent)
    {
        if (lines[start].Contains("=>", StringComparison.Ordinal) && !lines[start].Contains("SetAction", StringComparison.Ordinal))
        {
            // An expression body: up to its semicolon.
            for (int j = start; j < lines.Length; j++)
            {
                if (lines[j].TrimEnd().EndsWith(';'))
                {
                    return j - start + 1;
                }
            }
        }

        for (int j = start + 1; j < lines.Length; j++)
        {
            if (lines[j].StartsWith(indent + "}", StringComparison.Ordinal) || (lines[j].StartsWith(indent, StringComparison.Ordinal) && lines[j].TrimEnd().EndsWith(';') && !lines[j].StartsWith(indent + " ", StringComparison.Ordinal)))
            {
                return j - start + 1;
            }
        }

        throw new InvalidOperationException($"no end of the member at line {start + 1}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Facemoji.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Facemoji.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^(?<indent>\s+)(public|private|internal)\s+static\s+[\w<>\[\]?,. ]+\s(?<name>(Create|Run)\w*)\s*\(")]
    private static partial Regex MethodDeclaration();

    [GeneratedRegex(@"^(?<indent>\s+)\w+\.SetAction\(")]
    private static partial Regex SetAction();
}
