using System.CommandLine;
using Facemoji.Cli.Terminal;
using Facemoji.Engine.Serialization;
using Facemoji.Pipeline;
using Facemoji.Training.Data;
using Facemoji.Training.Evaluation;
using Spectre.Console;

namespace Facemoji.Cli.Commands;

/// <summary>
/// <c>facemoji evaluate</c>: accuracy, macro-F1, per-class precision / recall / F1 / support and the confusion
/// matrix of a model on labelled faces, as tables and an SVG, or with --json as one JSON object on stdout.
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
        var output = CommonOptions.Output("Where to write the confusion-matrix SVG, the reliability diagram going beside it (confusion*.svg becomes reliability*.svg; default: neither is written).");
        output.Aliases.Add("--svg"); // the earlier name
        var batchSize = new Option<int>("--batch-size") { Description = "Images per forward pass.", DefaultValueFactory = _ => 256 };
        var skipBad = new Option<bool>("--skip-bad") { Description = "Count and skip bad CSV rows and undecodable images instead of stopping." };
        var noCache = new Option<bool>("--no-cache") { Description = "Neither read nor write the decoded-data cache." };
        var cacheDir = CommonOptions.CacheDir();

        var command = new Command("evaluate", "Measure a model on labelled faces: accuracy, macro-F1, per-class scores, confusion matrix.")
        {
            data, split, model, tta, tenCrop, json, output, batchSize, skipBad, noCache, cacheDir,
        };

        command.SetAction(parse =>
        {
            var request = new EvaluationRequest
            {
                ModelPath = parse.GetValue(model) ?? ShippedModel.Locate(),
                Data = parse.GetValue(data)!,
                Split = parse.GetValue(split)!,
                TestTimeAugmentation = parse.GetValue(tta),
                TenCrop = parse.GetValue(tenCrop),
                BatchSize = parse.GetValue(batchSize),
                ConfusionChartPath = parse.GetValue(output),
                Load = new DatasetLoadOptions { SkipBad = parse.GetValue(skipBad), UseCache = !parse.GetValue(noCache), CacheDirectory = parse.GetValue(cacheDir) },
            };
            bool asJson = parse.GetValue(json);
            Print(EvaluationRun.Run(request, Info(asJson).WriteLine, CommonOptions.DescribeModelFile, new TerminalSteps()), asJson);
            return 0;
        });
        return command;
    }

    /// <summary>With --json, standard output holds the one JSON object and the rest goes to standard error.</summary>
    private static TextWriter Info(bool asJson) => asJson ? Console.Error : Console.Out;

    private static void Print(EvaluationResult result, bool asJson)
    {
        var info = Info(asJson);
        if (result.ConfusionChartPath is not null)
        {
            info.WriteLine($"confusion matrix: {result.ConfusionChartPath}");
            info.WriteLine($"reliability diagram: {result.ReliabilityChartPath}");
        }

        if (asJson)
        {
            Console.Out.WriteLine(result.ToJson().ToJsonString());
            return;
        }

        WriteTables(result.Report);
        Console.WriteLine(result.Calibration.Describe());
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
