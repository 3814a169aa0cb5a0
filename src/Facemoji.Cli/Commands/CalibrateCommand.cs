using System.CommandLine;
using Facemoji.Training.Calibration;
using Facemoji.Training.Data;
using Facemoji.Training.Runs;

namespace Facemoji.Cli.Commands;

/// <summary>
/// <c>facemoji calibrate MODEL.fmj --data DIR</c>: fits the model's temperature on the validation slice of the
/// train split (a stratified 10% drawn with the model's training seed, as the trainer holds out) and writes it
/// into the model file. Never on test: a temperature fitted there would flatter every figure measured there.
/// </summary>
public static class CalibrateCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "The model file (.fmj) to calibrate." };
        var data = new Option<string>("--data") { Description = "The training data the model came from (a FER2013 CSV, a folder of class folders, or a dataset root with train/).", Required = true };
        var fraction = new Option<double>("--fraction") { Description = "The stratified fraction of train to fit on.", DefaultValueFactory = _ => TrainingDataSelection.DefaultHeldOutFraction };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the stratified slice; default: the model's training seed." };
        var output = new Option<string?>("--output", "-o") { Description = "Write the calibrated model here instead of rewriting the model file in place." };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per forward pass.", DefaultValueFactory = _ => 256 };
        var skipBad = new Option<bool>("--skip-bad") { Description = "Count and skip bad CSV rows and undecodable images instead of stopping." };
        var noCache = new Option<bool>("--no-cache") { Description = "Neither read nor write the decoded-data cache (.cache/datasets)." };

        var command = new Command("calibrate", "Fit a model's temperature on held-out training images and store it in the model file.")
        {
            model, data, fraction, seed, output, batchSize, skipBad, noCache,
        };
        command.SetAction(parse =>
        {
            var request = new CalibrationRequest
            {
                ModelPath = parse.GetValue(model)!,
                Data = parse.GetValue(data)!,
                Fraction = parse.GetValue(fraction),
                Seed = parse.GetValue(seed),
                OutputPath = parse.GetValue(output),
                BatchSize = parse.GetValue(batchSize),
                Load = new DatasetLoadOptions { SkipBad = parse.GetValue(skipBad), UseCache = !parse.GetValue(noCache) },
            };
            var (fit, target) = CalibrationRun.Run(request, Console.WriteLine, warning => Console.Error.WriteLine($"warning: {warning}"));
            Console.WriteLine(fit.Describe());
            Console.WriteLine($"written: {target}");
            return 0;
        });
        return command;
    }
}
