using System.CommandLine;
using Facemoji.Cli.Commands.Analysis;
using Facemoji.Pipeline.Annotation;
using Facemoji.Pipeline.Batch;
using Spectre.Console;

namespace Facemoji.Cli.Commands;

/// <summary>
/// <c>facemoji video INPUT [-o OUTPUT] [--timeline FILE.csv|.json]</c>: the emoji drawn on every frame of a
/// video, faces tracked and their readings smoothed, the audio kept; a progress bar, then where the time went.
/// A folder of videos (or --shard/--jsonl/--resume) runs as a batch into the folder -o names (<see cref="VideoBatch"/>).
/// The output (default out/INPUT.facemoji.mp4; for a batch the folder out/) is checked before any work: .mp4, .mkv, .mov, .webm or .gif.
/// </summary>
public static class VideoCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "A video file ffmpeg can read, or a folder of them (a batch)." };
        var output = CommonOptions.Output($"The annotated video: .mp4, .mkv, .mov, .webm or .gif (default: {ImageCommand.DefaultOutputFolder}/INPUT.facemoji.mp4).");
        var timeline = new Option<string?>("--timeline") { Description = "Also write one row per face per frame to a .csv or .json file." };
        var analysis = new AnalysisOptions();
        var batch = new BatchOptions();

        var command = new Command("video", "Draw the emoji of each face on every frame of a video.") { input, output, timeline };
        analysis.AddTo(command);
        batch.AddTo(command);
        command.SetAction(parseResult =>
        {
            string source = parseResult.GetValue(input)!;
            return batch.Requested(parseResult) || Directory.Exists(source)
                ? RunBatch(parseResult, source, parseResult.GetValue(output) ?? ImageCommand.DefaultOutputFolder, analysis, batch)
                : Run(parseResult, source, parseResult.GetValue(output), parseResult.GetValue(timeline), analysis);
        });
        return command;
    }

    /// <summary>One video (<see cref="VideoAnnotator.Run"/>) under a progress bar, then where the time went.</summary>
    private static int Run(ParseResult parseResult, string source, string? output, string? timeline, AnalysisOptions analysis)
    {
        string target = output ?? DefaultOutput(source);
        CliConsole.Error.WriteLine(analysis.DescribeModel(parseResult));
        VideoRunReport report = null!;
        CliConsole.Error.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask("frames", maxValue: 1);
                var annotator = new VideoAnnotator(analysis.CreateAnalyzer(parseResult), analysis.ResolvePack(parseResult), analysis.ReadMode(parseResult))
                {
                    Progress = (done, expected) =>
                    {
                        task.MaxValue = Math.Max(Math.Max(expected, done), 1);
                        task.Value = done;
                    },
                };
                report = annotator.Run(source, target, timeline, createOutputFolder: output is null);
                task.Value = task.MaxValue;
            });
        foreach (string warning in report.Warnings)
        {
            Console.Error.WriteLine($"warning: {warning}");
        }

        WriteStages(report, target);
        return 0;
    }

    private static void WriteStages(VideoRunReport report, string target)
    {
        var table = new Table().Title($"{report.Frames} frames, {report.FramesPerSecond:F1} frames/s, {report.Tracks} face track(s) → {Markup.Escape(target)}")
            .AddColumns("stage", "total", "per frame");
        void Row(string stage, TimeSpan time) => table.AddRow(stage, $"{time.TotalSeconds:F2} s", $"{time.TotalMilliseconds / Math.Max(1, report.Frames):F2} ms");
        Row("decode", report.Decode);
        Row("detect/track", report.Detect);
        Row("classify", report.Classify);
        Row("draw", report.Draw);
        Row("encode", report.Encode);
        Row("all", report.Total);
        CliConsole.Out.Write(table);
    }

    /// <summary>A folder of videos, or --shard/--jsonl/--resume: a batch (see <see cref="VideoBatch"/>), -o being the output folder.</summary>
    private static int RunBatch(ParseResult parseResult, string source, string outputFolder, AnalysisOptions analysis, BatchOptions batch)
    {
        var settings = batch.Read(parseResult, outputFolder);
        var pack = analysis.ResolvePack(parseResult);
        var report = VideoBatch.Run([source], settings, () => analysis.CreateAnalyzer(parseResult), pack, analysis.ReadMode(parseResult),
            line => Console.Error.WriteLine($"{line.Input.File}: {(line.Failed ? "failed" : line.Written)}"));
        BatchOptions.PrintReport(report, settings.ResultsPath);
        return report.ExitCode;
    }

    /// <summary>out/clip.facemoji.mp4 for clip.mov: the image verb's folder and naming.</summary>
    public static string DefaultOutput(string source) =>
        Path.Combine(ImageCommand.DefaultOutputFolder, Path.GetFileNameWithoutExtension(source) + ".facemoji.mp4");
}
