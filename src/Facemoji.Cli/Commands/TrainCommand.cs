using System.CommandLine;
using Facemoji.Cli.Commands.Training;
using Facemoji.Training.Runs;

namespace Facemoji.Cli.Commands;

/// <summary>
/// <c>facemoji train</c>: trains a network on FER2013 (a Kaggle CSV, a folder of class folders, or a dataset
/// root with train/ and test/) and writes the best model by validation accuracy, a checkpoint to --resume from,
/// and the loss and accuracy curves as SVG and PNG.
/// </summary>
public static class TrainCommand
{
    public const string DefaultOutput = "facemoji-model.fmj";

    public static string Plural(int count, string noun) => $"{count} {noun}{(count == 1 ? string.Empty : "s")}";

    public static Command Create()
    {
        var options = new TrainCommandOptions();
        var command = new Command("train", "Train an expression classifier on FER2013.");
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var run = TrainingRun.Run(options.Read(parse), new ConsoleTrainingMonitor());
            var result = run.Training;
            Console.WriteLine($"best validation accuracy {result.BestValidationAccuracy:P2} at epoch {result.BestEpoch} of {Plural(result.History.Count, "epoch")} run ({result.PlannedEpochs} planned{(result.StoppedEarly ? ", stopped early" : string.Empty)}); {result.TrainingImagesPerSecond:F0} training images/s; {DurationText.Format(run.Elapsed)} in all");
            Console.WriteLine(run.Calibration is { } fitted
                ? $"calibration: {fitted.Describe()}"
                : $"calibration: none (the validation set, {run.ValidationDescription}, was not held out of train; pass --calibration-holdout 0.05 to hold calibration images out of training)");
            Console.WriteLine($"model: {CommonOptions.DescribeModelFile(result.ModelPath)}");
            Console.WriteLine($"checkpoint: {result.CheckpointPath}");
            Console.WriteLine($"curves: {result.CurvesPath}, {result.CurvesPngPath}");
            return 0;
        });
        return command;
    }
}
