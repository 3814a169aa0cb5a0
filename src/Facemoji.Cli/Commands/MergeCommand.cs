using System.CommandLine;
using Facemoji.Pipeline.Batch;
using Spectre.Console;

namespace Facemoji.Cli.Commands;

/// <summary>
/// <c>facemoji merge SHARD.jsonl… -o ALL.jsonl [--summary FILE.json] [--json]</c>: joins the results files of a
/// sharded batch (image or video) into one sorted JSONL and prints the summary: inputs, faces per emotion, failures.
/// </summary>
public static class MergeCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("results") { Description = "The --jsonl files of the shards.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "The merged JSONL file, sorted by input.", Required = true };
        var summary = new Option<string?>("--summary") { Description = "Also write the summary as JSON to FILE." };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON rather than a table." };

        var command = new Command("merge", "Join the results of a sharded image or video batch into one JSONL and a summary.") { files, output, summary, json };
        command.SetAction(parseResult =>
        {
            MergeSummary result = BatchMerge.Run(parseResult.GetValue(files)!, parseResult.GetValue(output)!, parseResult.GetValue(summary));
            if (parseResult.GetValue(json))
            {
                Console.Out.WriteLine(result.ToJson());
            }
            else
            {
                WriteTable(result, parseResult.GetValue(output)!);
            }

            return 0;
        });
        return command;
    }

    private static void WriteTable(MergeSummary result, string output)
    {
        var table = new Table().Title($"{result.Inputs} inputs, {result.Faces} faces, {result.Failures.Count} failed → {Markup.Escape(output)}")
            .AddColumns("emotion", "faces");
        foreach (var (emotion, count) in result.Emotions)
        {
            table.AddRow(emotion, $"{count}");
        }

        CliConsole.Out.Write(table);
        foreach (var (file, error) in result.Failures)
        {
            Console.Error.WriteLine($"failed: {file}: {error}");
        }
    }
}
