using System.CommandLine;
using System.Diagnostics;
using Facemoji.Cli.Terminal;
using Facemoji.Engine;
using Facemoji.Engine.Serialization;
using Facemoji.Pipeline;
using Facemoji.Training.Calibration;
using Facemoji.Training.Data;
using Facemoji.Training.Evaluation;
using Facemoji.Training.Reports;
using Spectre.Console;

namespace Facemoji.Cli.Commands;

/// <summary>
/// <c>facemoji evaluate</c>: accuracy, macro-F1, per-class precision / recall / F1 / support and the confusion
/// matrix of a model on labelled faces, as tables and charts (SVG or PNG), or with --json as one JSON object on stdout.
/// </summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Labelled faces: a FER2013 CSV, a folder of class folders, or a dataset root with train/ and test/.", Required = true };
        var split = CommonOptions.Choice("--split", "Which split: test, val, train or all. A source without splits is used whole.", DatasetSplits.Test, ["test", "val", "train", "all"]);
        var model = CommonOptions.Model();
        var tta = new Option<bool>("--tta") { Description = "Test-time augmentation: average the softmax over the image, its mirror and four shifted crops." };
        var tenCrop = new Option<bool>("--ten-crop") { Description = "Ten-crop test-time augmentation: the centre and four corner crops, each also mirrored (instead of --tta's six views)." };
        var json = CommonOptions.Json("Print one JSON object (accuracy, macro_f1, n, labels, per_class, confusion, ece, nll, temperature) and nothing else on standard output.");
        var output = CommonOptions.Output("Where to write the confusion-matrix chart, .svg or .png, the reliability diagram going beside it (confusion*.svg becomes reliability*.svg; default: neither is written).");
        output.Aliases.Add("--svg"); // the earlier name
        var batchSize = new Option<int>("--batch-size") { Description = "Images per forward pass.", DefaultValueFactory = _ => 256 };
        var skipBad = new Option<bool>("--skip-bad") { Description = "Count and skip bad CSV rows and undecodable images instead of stopping." };
        var noCache = new Option<bool>("--no-cache") { Description = "Neither read nor write the decoded-data cache." };
        var cacheDir = CommonOptions.CacheDir();

        var command = new Command("evaluate", "Measure a model on labelled faces: accuracy, macro-F1, per-class scores, confusion matrix.");
        foreach (var option in new Option[] { data, split, model, tta, tenCrop, json, output, batchSize, skipBad, noCache, cacheDir })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            bool asJson = parse.GetValue(json);
            var info = asJson ? Console.Error : Console.Out;
            if (parse.GetValue(tta) && parse.GetValue(tenCrop))
            {
                throw new FacemojiException("--tta and --ten-crop are two sets of views; give one.");
            }

            if (parse.GetValue(batchSize) < 1)
            {
                throw new FacemojiException("--batch-size must be at least 1.");
            }

            if (DatasetSplits.Canonicalize(parse.GetValue(split)!) is null)
            {
                throw new FacemojiException($"--split: unknown split '{parse.GetValue(split)}'; use test, val, train or all.");
            }

            if (parse.GetValue(output) is { } chartPath && !string.Equals(chartPath, "none", StringComparison.OrdinalIgnoreCase))
            {
                ChartFile.CheckName(chartPath, "-o"); // before the work, so a bad name wastes none
            }

            string modelPath = parse.GetValue(model) ?? ShippedModel.Locate();
            var trained = TrainedModel.Load(modelPath);
            info.WriteLine($"model: {CommonOptions.DescribeModelFile(modelPath)}");
            var loaded = ProgressBars.Run("loading data", progress => DatasetLoader.Load(parse.GetValue(data)!, new DatasetLoadOptions { SkipBad = parse.GetValue(skipBad), UseCache = !parse.GetValue(noCache), CacheDirectory = parse.GetValue(cacheDir), Progress = progress }));
            info.WriteLine(loaded.Describe());
            var dataset = loaded.Splits.Get(parse.GetValue(split)!);
            var views = parse.GetValue(tenCrop) ? TestTimeAugmentation.TenCrop : TestTimeAugmentation.Views(parse.GetValue(tta));
            var clock = Stopwatch.StartNew();
            var logits = ProgressBars.Run("evaluating", dataset.Count, progress => Predictor.PredictLogits(trained.Network, dataset, trained.Normalization, views, parse.GetValue(batchSize), progress));
            double seconds = clock.Elapsed.TotalSeconds;
            var probabilities = logits.Probabilities(trained.Temperature);
            var predicted = Predictor.ArgMax(probabilities, trained.Header.Labels.Count);
            var truth = dataset.Labels.Select(l => (int)l).ToArray();
            var report = ClassificationReport.Compute(truth, predicted, trained.Header.Labels);
            var calibration = CalibrationReport.Compute(logits, probabilities, truth, trained.Temperature);
            info.WriteLine($"{trained.Header.Architecture} from {modelPath} on {dataset.Source}: {dataset.Count} images x {views.Count} view(s) in {seconds:F1} s ({dataset.Count * views.Count / Math.Max(seconds, 1e-9):F0} images/s)");

            if (parse.GetValue(output) is { } svgPath && !string.Equals(svgPath, "none", StringComparison.OrdinalIgnoreCase))
            {
                ConfusionMatrixChart.Write(report, $"{Path.GetFileName(modelPath)} on {dataset.Source}{(views.Count > 1 ? " (TTA)" : string.Empty)}", svgPath);
                info.WriteLine($"confusion matrix: {svgPath}");
                string reliabilityPath = ReliabilityDiagramChart.PathBeside(svgPath);
                ReliabilityDiagramChart.Write(calibration, $"{Path.GetFileName(modelPath)} on {dataset.Source}{(views.Count > 1 ? $" ({views.Count} views)" : string.Empty)}", reliabilityPath);
                info.WriteLine($"reliability diagram: {reliabilityPath}");
            }

            if (asJson)
            {
                var result = report.ToJson();
                calibration.AddTo(result);
                Console.Out.WriteLine(result.ToJsonString());
                return 0;
            }

            WriteTables(report);
            Console.WriteLine(calibration.Describe());
            return 0;
        });
        return command;
    }

    private static void WriteTables(ClassificationReport report)
    {
        AnsiConsole.MarkupLine($"[bold]accuracy {report.Accuracy * 100:F2}%[/]  macro-F1 {report.MacroF1:F4}  n {report.N}");
        var perClass = new Table().AddColumns("class", "precision", "recall", "F1", "support");
        foreach (var column in perClass.Columns.Skip(1))
        {
            column.RightAligned();
        }

        foreach (var m in report.PerClass)
        {
            perClass.AddRow(Markup.Escape(m.Label), $"{m.Precision:F4}", $"{m.Recall:F4}", $"{m.F1:F4}", $"{m.Support}");
        }

        AnsiConsole.Write(perClass);
        var confusion = new Table().Title("confusion (rows: true, columns: predicted)").AddColumn("true \\ predicted");
        foreach (var label in report.Labels)
        {
            confusion.AddColumn(new TableColumn(Markup.Escape(label)).RightAligned());
        }

        for (int t = 0; t < report.Labels.Count; t++)
        {
            confusion.AddRow([Markup.Escape(report.Labels[t]), .. report.Confusion[t].Select((count, p) => p == t ? $"[bold]{count}[/]" : $"{count}")]);
        }

        AnsiConsole.Write(confusion);
    }
}
