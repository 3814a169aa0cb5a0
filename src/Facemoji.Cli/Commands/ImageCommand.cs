using System.CommandLine;
using Facemoji.Cli.Commands.Analysis;
using Facemoji.Emoji;
using Facemoji.Expressions;
using Facemoji.Imaging;
using Facemoji.Pipeline;
using Facemoji.Pipeline.Annotation;
using Facemoji.Pipeline.Batch;
using Spectre.Console;

namespace Facemoji.Cli.Commands;

/// <summary>
/// <c>facemoji image INPUT… [-o OUTDIR] [--json] [--recursive]</c>: finds the faces in photos (files or folders),
/// writes an annotated copy of each photo with a face into OUTDIR (default out/; with --json only when -o is
/// given), and prints the readings as a table or as one JSON object per line. Every file written is named.
/// An input that fails is reported (as {"file", "error"} with --json) and the others are still processed;
/// the exit code is 1 if any input failed. With --shard, --jsonl or --resume the inputs run as a batch (<see cref="ImageBatch"/>).
/// </summary>
public static class ImageCommand
{
    public const string DefaultOutputFolder = "out";

    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Image files (PNG, JPEG) or folders of them.", Arity = ArgumentArity.OneOrMore };
        var output = CommonOptions.Output($"Folder for the annotated copies (default: {DefaultOutputFolder}; with --json none are written unless -o is given).");
        var json = CommonOptions.Json("Print one JSON object per input, one per line, and nothing else on standard output.");
        var noImages = new Option<bool>("--no-images") { Description = "Only analyse; write no annotated images." };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Also take the images in the folders' sub-folders." };
        var analysis = new AnalysisOptions(photos: true);
        var batch = new BatchOptions();

        var command = new Command("image", "Find faces in photos, read their expressions, and draw the emoji.");
        command.Arguments.Add(inputs);
        command.Options.Add(output);
        command.Options.Add(json);
        command.Options.Add(noImages);
        command.Options.Add(recursive);
        analysis.AddTo(command);
        batch.AddTo(command);
        command.SetAction(parseResult => batch.Requested(parseResult)
            ? RunBatch(parseResult, inputs, output, json, noImages, recursive, analysis, batch)
            : Run(parseResult, inputs, output, json, noImages, recursive, analysis));
        return command;
    }

    /// <summary>The photos one by one (<see cref="ImageRun"/>): a progress bar for several, then the table or the JSON lines.</summary>
    private static int Run(
        ParseResult parseResult, Argument<string[]> inputs, Option<string?> output, Option<bool> json, Option<bool> noImages, Option<bool> recursive, AnalysisOptions analysis)
    {
        var scan = ImageInputs.Scan(parseResult.GetValue(inputs)!, parseResult.GetValue(recursive));
        bool asJson = parseResult.GetValue(json);
        // With --json, annotated copies are written only where -o names a folder.
        string? outputFolder = parseResult.GetValue(noImages) ? null : parseResult.GetValue(output) ?? (asJson ? null : DefaultOutputFolder);
        var info = asJson ? Console.Error : Console.Out;
        var annotator = new ImageAnnotator(analysis.CreateAnalyzer(parseResult), analysis.ResolvePack(parseResult), analysis.ReadMode(parseResult));
        info.WriteLine(analysis.DescribeModel(parseResult));
        if (scan.DescribeSkipped() is { } skipped)
        {
            info.WriteLine(skipped);
        }

        var report = WithProgress(scan.Files.Count, step => ImageRun.Run(scan.Files, outputFolder, annotator, result =>
        {
            if (asJson)
            {
                Console.Out.WriteLine(result.Json);
            }

            step();
        }));
        if (!asJson)
        {
            WriteTable(report.Results);
        }

        PrintWrittenAndFailed(report, info);
        return report.ExitCode;
    }

    /// <summary>Runs <paramref name="run"/> under a progress bar on standard error when there is more than one photo.</summary>
    private static ImageRunReport WithProgress(int count, Func<Action, ImageRunReport> run)
    {
        if (count <= 1)
        {
            return run(() => { });
        }

        ImageRunReport? report = null;
        CliConsole.Error.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("images", maxValue: count);
                report = run(() => task.Increment(1));
            });
        return report!;
    }

    private static void PrintWrittenAndFailed(ImageRunReport report, TextWriter info)
    {
        foreach (var written in report.Results.Where(r => r.Written is not null))
        {
            info.WriteLine($"wrote {written.Written}");
        }

        foreach (var failed in report.Results.Where(r => r.Failed))
        {
            Console.Error.WriteLine($"error: {failed.Error}");
        }
    }

    /// <summary>--shard/--jsonl/--resume: the inputs as a batch (see <see cref="ImageBatch"/>); lines go to stdout with --json.</summary>
    private static int RunBatch(
        ParseResult parseResult, Argument<string[]> inputs, Option<string?> output, Option<bool> json, Option<bool> noImages, Option<bool> recursive, AnalysisOptions analysis, BatchOptions batch)
    {
        var settings = batch.Read(parseResult, parseResult.GetValue(noImages) ? null : parseResult.GetValue(output)) with { Recursive = parseResult.GetValue(recursive) };
        bool asJson = parseResult.GetValue(json);
        var annotator = new ImageAnnotator(analysis.CreateAnalyzer(parseResult), analysis.ResolvePack(parseResult), analysis.ReadMode(parseResult));
        var report = ImageBatch.Run(parseResult.GetValue(inputs)!, settings, annotator, line =>
        {
            if (asJson)
            {
                Console.Out.WriteLine(line.Json);
            }
        });
        BatchOptions.PrintReport(report, settings.ResultsPath);
        return report.ExitCode;
    }

    private static void WriteTable(IEnumerable<ImageResult> results)
    {
        var table = new Table().AddColumns("file", "face", "box", "emotion", "confidence", "intensity", "");
        foreach (var (file, faces, _, _, _) in results)
        {
            if (faces is null)
            {
                table.AddRow(Markup.Escape(Path.GetFileName(file)), "", "", "[red]failed[/]", "", "", "");
                continue;
            }

            if (faces.Count == 0)
            {
                table.AddRow(Markup.Escape(Path.GetFileName(file)), "-", "", "no face found (no copy)", "", "", "");
            }

            for (int i = 0; i < faces.Count; i++)
            {
                var r = faces[i].Reading;
                var b = faces[i].Box;
                table.AddRow(Markup.Escape(Path.GetFileName(file)), $"{i + 1}", $"{b.X},{b.Y} {b.Width}x{b.Height}", r.Emotion.Name(), $"{r.Confidence:P0}",
                    r.Intensity.ToString().ToLowerInvariant(), UnicodeEmoji.For(r));
            }
        }

        CliConsole.Out.Write(table);
    }
}
