using System.CommandLine;
using Facemoji.Engine;
using Facemoji.Engine.Serialization;
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

        var command = new Command("calibrate", "Fit a model's temperature on held-out training images and store it in the model file.");
        command.Arguments.Add(model);
        foreach (var option in new Option[] { data, fraction, seed, output, batchSize, skipBad, noCache })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            string modelPath = parse.GetValue(model)!;
            if (parse.GetValue(batchSize) < 1)
            {
                throw new FacemojiException("--batch-size must be at least 1.");
            }

            if (parse.GetValue(fraction) is not (> 0 and < 1) and var f)
            {
                throw new FacemojiException($"--fraction must be between 0 and 1, not {f}.");
            }

            if (!File.Exists(modelPath))
            {
                throw new FacemojiException($"{modelPath}: no such model file.");
            }

            var header = ModelFile.Read(modelPath).Header;
            var loaded = DatasetLoader.Load(parse.GetValue(data)!, new DatasetLoadOptions { SkipBad = parse.GetValue(skipBad), UseCache = !parse.GetValue(noCache) });
            Console.WriteLine(loaded.Describe());
            var trainSplit = loaded.Splits.IsSingleSplit ? loaded.Splits.Get(DatasetSplits.All) : loaded.Splits.Get(DatasetSplits.Train);
            if (ModelCalibrator.TrainedOnWholeSplit(header, trainSplit.Count))
            {
                Console.Error.WriteLine($"warning: {modelPath} was trained on all {trainSplit.Count} images of {trainSplit.Source}, so the calibration slice was seen in training and the fitted temperature will make it over-confident on new faces; check with facemoji evaluate before shipping it, and train with --calibration-holdout or --val train next time.");
            }

            var slice = ModelCalibrator.TrainValidationSlice(loaded.Splits, parse.GetValue(fraction), parse.GetValue(seed) ?? ModelCalibrator.TrainingSeed(header));
            var result = ModelCalibrator.Fit(modelPath, slice, parse.GetValue(batchSize));
            string target = parse.GetValue(output) ?? modelPath;
            ModelCalibrator.Write(result, target);
            Console.WriteLine(result.Describe());
            Console.WriteLine($"written: {target}");
            return 0;
        });
        return command;
    }
}
