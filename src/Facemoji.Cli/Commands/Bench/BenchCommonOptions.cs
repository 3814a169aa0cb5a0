using System.CommandLine;

namespace Facemoji.Cli.Commands.Bench;

/// <summary>
/// The options every <c>facemoji bench</c> subcommand shares. Create one per subcommand (options are owned by
/// one command), <see cref="AddTo"/> it, then <see cref="Read"/> the parse result in the action.
/// </summary>
public sealed class BenchCommonOptions
{
    public Option<int?> Threads { get; } = new("--threads")
    {
        Description = "Threads for the engine (default: every core; benchmarks that compare thread counts run 1 and this).",
    };

    public Option<bool> Quick { get; } = new("--quick") { Description = "A short run (fewer, shorter samples)." };

    public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON object instead of a table." };

    public BenchCommonOptions()
    {
        Threads.Validators.Add(result =>
        {
            // Read from the token: a value that is not a number at all is already reported by the parser.
            if (result.Tokens.Count > 0 && int.TryParse(result.Tokens[^1].Value, out int threads) && threads is < 1 or > 1024)
            {
                result.AddError($"--threads: {threads} is not a thread count (1 to 1024)");
            }
        });
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Threads);
        command.Options.Add(Quick);
        command.Options.Add(Json);
    }

    /// <summary>Reads the options and applies <c>--threads</c> to <see cref="ParallelRows.MaxDegreeOfParallelism"/>.</summary>
    public BenchSettings Read(ParseResult parseResult)
    {
        int? threads = parseResult.GetValue(Threads);
        ParallelRows.MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount;
        return new BenchSettings(threads, parseResult.GetValue(Quick), parseResult.GetValue(Json));
    }
}
