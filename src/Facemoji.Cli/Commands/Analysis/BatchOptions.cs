using System.CommandLine;
using Facemoji.Engine;
using Facemoji.Pipeline.Batch;

namespace Facemoji.Cli.Commands.Analysis;

/// <summary>
/// The batch options of <c>image</c> and <c>video</c>: <c>--shard I/N</c>, <c>--jsonl FILE</c> and <c>--resume</c>.
/// Any of them turns the verb into a batch run (see <see cref="BatchRun"/>); without them the verb behaves as before.
/// </summary>
public sealed class BatchOptions
{
    public Option<string?> Shard { get; } = new("--shard")
    {
        Description = "Process only shard I of N (I from 0), a stable split by the inputs' relative paths: e.g. 0/4.",
    };

    public Option<string?> Jsonl { get; } = new("--jsonl")
    {
        Description = "Append one JSON line per input to FILE, flushed as each input is done.",
    };

    public Option<string?> Resume { get; } = CommonOptions.Resume(
        "Skip the inputs already in the results file (--jsonl, or the file named here) after a killed or failed run.");

    public void AddTo(Command command)
    {
        command.Options.Add(Shard);
        command.Options.Add(Jsonl);
        command.Options.Add(Resume);
    }

    /// <summary>True when the command line asks for a batch run.</summary>
    public bool Requested(ParseResult parseResult) =>
        parseResult.GetValue(Shard) is not null || parseResult.GetValue(Jsonl) is not null || CommonOptions.IsGiven(parseResult, Resume);

    public BatchSettings Read(ParseResult parseResult, string? outputFolder)
    {
        string? shard = parseResult.GetValue(Shard);
        string? jsonl = parseResult.GetValue(Jsonl);
        string? resumeFrom = parseResult.GetValue(Resume);
        if (jsonl is not null && resumeFrom is not null && Path.GetFullPath(jsonl) != Path.GetFullPath(resumeFrom))
        {
            throw new FacemojiException($"--resume {resumeFrom} and --jsonl {jsonl} name two results files: give one of them.");
        }

        return new BatchSettings
        {
            Shard = shard is null ? ShardSpec.All : ShardSpec.Parse(shard),
            ResultsPath = jsonl ?? resumeFrom,
            Resume = CommonOptions.IsGiven(parseResult, Resume),
            OutputFolder = outputFolder,
        };
    }

    /// <summary>One line on stderr: what this run of the batch did.</summary>
    public static void PrintReport(BatchReport report, string? resultsPath)
    {
        Console.Error.WriteLine(
            $"shard {report.Shard}: {report.ShardInputs} of {report.AllInputs} inputs, {report.Skipped} already done, "
            + $"{report.Lines.Count} processed, {report.Failed} failed" + (resultsPath is null ? "" : $"; results in {resultsPath}"));
        foreach (var failed in report.Lines.Where(l => l.Failed))
        {
            Console.Error.WriteLine($"error: {failed.Error}");
        }
    }
}
