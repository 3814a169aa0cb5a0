using System.CommandLine;
using Facemoji.Cli.Commands.Analysis;
using Facemoji.Emoji;
using Facemoji.Engine;
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
        var analysis = new AnalysisOptions();
        var batch = new BatchOptions();

        var command = new Command("image", "Find faces in photos, read their expressions, and draw the emoji.");
        command.Arguments.Add(inputs);
        command.Options.Add(output);
        command.Options.Add(json);
        command.Options.Add(noImages);
        command.Options.Add(recursive);
        analysis.AddTo(command);
        batch.AddTo(command);
        command.SetAction(parseResult =>
        {
            if (batch.Requested(parseResult))
            {
                return RunBatch(parseResult, inputs, output, json, noImages, analysis, batch);
            }

            var scan = ImageInputs.Scan(parseResult.GetValue(inputs)!, parseResult.GetValue(recursive));
            var files = scan.Files;
            bool asJson = parseResult.GetValue(json);
            string? outputFolder = parseResult.GetValue(output) ?? (asJson ? null : DefaultOutputFolder);
            bool writeImages = !parseResult.GetValue(noImages) && outputFolder is not null;
            var info = asJson ? Console.Error : Console.Out;
            var annotator = new ImageAnnotator(analysis.CreateAnalyzer(parseResult), analysis.ResolvePack(parseResult), analysis.ReadMode(parseResult));
            info.WriteLine(analysis.DescribeModel(parseResult));
            if (scan.DescribeSkipped() is { } skipped)
            {
                info.WriteLine(skipped);
            }

            outputFolder ??= DefaultOutputFolder;

            var outputs = ImageInputs.OutputPaths(files, outputFolder);
            var results = new List<(string File, IReadOnlyList<FaceAnalysis>? Faces, string? Error, string? Written)>();
            void ProcessOne(int i)
            {
                string file = files[i];
                try
                {
                    var image = ImageCodecs.Load(file);
                    var (faces, annotated) = annotator.Annotate(image);
                    // A photo without a face gets no copy: it would only repeat the input.
                    bool write = writeImages && faces.Count > 0;
                    if (write)
                    {
                        Directory.CreateDirectory(outputFolder);
                        ImageCodecs.Save(annotated, outputs[i]);
                    }

                    if (asJson)
                    {
                        Console.Out.WriteLine(AnalysisJson.ImageLine(file, image.Width, image.Height, faces));
                    }

                    results.Add((file, faces, null, write ? outputs[i] : null));
                }
                catch (FacemojiException ex)
                {
                    if (asJson)
                    {
                        Console.Out.WriteLine(AnalysisJson.ErrorLine(file, ex.Message));
                    }

                    results.Add((file, null, ex.Message, null));
                }
            }

            var progressConsole = CliConsole.Error;
            if (files.Count > 1)
            {
                progressConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(context =>
                    {
                        var task = context.AddTask("images", maxValue: files.Count);
                        for (int i = 0; i < files.Count; i++)
                        {
                            ProcessOne(i);
                            task.Increment(1);
                        }
                    });
            }
            else
            {
                ProcessOne(0);
            }

            if (!asJson)
            {
                WriteTable(results);
            }

            foreach (var written in results.Where(r => r.Written is not null))
            {
                info.WriteLine($"wrote {written.Written}");
            }

            foreach (var failed in results.Where(r => r.Error is not null))
            {
                Console.Error.WriteLine($"error: {failed.Error}");
            }

            return results.Any(r => r.Error is not null) ? CliErrors.UserError : 0;
        });
        return command;
    }

    /// <summary>--shard/--jsonl/--resume: the inputs as a batch (see <see cref="ImageBatch"/>); lines go to stdout with --json.</summary>
    private static int RunBatch(
        ParseResult parseResult, Argument<string[]> inputs, Option<string?> output, Option<bool> json, Option<bool> noImages, AnalysisOptions analysis, BatchOptions batch)
    {
        var settings = batch.Read(parseResult, parseResult.GetValue(noImages) ? null : parseResult.GetValue(output));
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
        return report.Failed > 0 ? CliErrors.UserError : 0;
    }

    private static void WriteTable(IEnumerable<(string File, IReadOnlyList<FaceAnalysis>? Faces, string? Error, string? Written)> results)
    {
        var table = new Table().AddColumns("file", "face", "box", "emotion", "confidence", "intensity", "");
        foreach (var (file, faces, error, written) in results)
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
