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
/// <c>facemoji image INPUT… [-o OUTDIR] [--json]</c>: finds the faces in photos (files or folders), writes an
/// annotated copy of each into OUTDIR, and prints the readings as a table or as one JSON object per line.
/// An input that fails is reported (as {"file", "error"} with --json) and the others are still processed;
/// the exit code is 1 if any input failed. With --shard, --jsonl or --resume the inputs run as a batch (<see cref="ImageBatch"/>).
/// </summary>
public static class ImageCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Image files (PNG, JPEG) or folders of them.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "Folder for the annotated images.", DefaultValueFactory = _ => "out" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per input, one per line." };
        var noImages = new Option<bool>("--no-images") { Description = "Only analyse; write no annotated images." };
        var analysis = new AnalysisOptions();
        var batch = new BatchOptions();

        var command = new Command("image", "Find faces in photos, read their expressions, and draw the emoji.");
        command.Arguments.Add(inputs);
        command.Options.Add(output);
        command.Options.Add(json);
        command.Options.Add(noImages);
        analysis.AddTo(command);
        batch.AddTo(command);
        command.SetAction(parseResult =>
        {
            if (batch.Requested(parseResult))
            {
                return RunBatch(parseResult, inputs, output, json, noImages, analysis, batch);
            }

            var files = ImageInputs.Expand(parseResult.GetValue(inputs)!);
            string outputFolder = parseResult.GetValue(output)!;
            bool writeImages = !parseResult.GetValue(noImages);
            bool asJson = parseResult.GetValue(json);
            var annotator = new ImageAnnotator(analysis.CreateAnalyzer(parseResult), analysis.ResolvePack(parseResult), analysis.ReadMode(parseResult));
            if (writeImages)
            {
                Directory.CreateDirectory(outputFolder);
            }

            var outputs = ImageInputs.OutputPaths(files, outputFolder);
            var results = new List<(string File, IReadOnlyList<FaceAnalysis>? Faces, string? Error, string? Written)>();
            void ProcessOne(int i)
            {
                string file = files[i];
                try
                {
                    var image = ImageCodecs.Load(file);
                    var (faces, annotated) = annotator.Annotate(image);
                    if (writeImages)
                    {
                        ImageCodecs.Save(annotated, outputs[i]);
                    }

                    if (asJson)
                    {
                        Console.Out.WriteLine(AnalysisJson.ImageLine(file, image.Width, image.Height, faces));
                    }

                    results.Add((file, faces, null, writeImages ? outputs[i] : null));
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
        ParseResult parseResult, Argument<string[]> inputs, Option<string> output, Option<bool> json, Option<bool> noImages, AnalysisOptions analysis, BatchOptions batch)
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
        var table = new Table().AddColumns("file", "face", "box", "emotion", "confidence", "intensity", "", "written");
        foreach (var (file, faces, error, written) in results)
        {
            if (faces is null)
            {
                table.AddRow(Markup.Escape(Path.GetFileName(file)), "", "", "[red]failed[/]", "", "", "", "");
                continue;
            }

            if (faces.Count == 0)
            {
                table.AddRow(Markup.Escape(Path.GetFileName(file)), "-", "", "no face found", "", "", "", Markup.Escape(written ?? ""));
            }

            for (int i = 0; i < faces.Count; i++)
            {
                var r = faces[i].Reading;
                var b = faces[i].Box;
                table.AddRow(Markup.Escape(Path.GetFileName(file)), $"{i + 1}", $"{b.X},{b.Y} {b.Width}x{b.Height}", r.Emotion.Name(), $"{r.Confidence:P0}",
                    r.Intensity.ToString().ToLowerInvariant(), UnicodeEmoji.For(r), Markup.Escape(i == 0 ? written ?? "" : ""));
            }
        }

        CliConsole.Out.Write(table);
    }
}
