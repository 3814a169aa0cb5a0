using System.CommandLine;
using Facemoji.Cli.Commands.Training;
using Facemoji.Cli.Terminal;
using Facemoji.Engine;
using Facemoji.Engine.Networks;
using Facemoji.Training.Augmentation;
using Facemoji.Training.Calibration;
using Facemoji.Training.Data;
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
        var defaults = new TrainingOptions();
        var data = new Option<string>("--data") { Description = "The training data: a FER2013 CSV, a folder of class folders, or a dataset root with train/ and test/ (and val/).", Required = true };
        var val = new Option<string?>("--val") { Description = "Validation data: a split of --data (val, test) or another dataset. Default: the data's val split, else its test split, else a stratified 10% of train." };
        var arch = CommonOptions.Choice("--arch", "The network.", defaults.Architecture, Architectures.Names);
        var epochs = new Option<int>("--epochs") { Description = "The most epochs to run (a --time-budget can plan fewer).", DefaultValueFactory = _ => defaults.Epochs };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per step.", DefaultValueFactory = _ => defaults.BatchSize };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (1 epoch of warm-up, then cosine).", DefaultValueFactory = _ => defaults.LearningRate };
        var optimizer = CommonOptions.Choice("--optimizer", "sgd (Nesterov momentum 0.9) or adamw.", "sgd", ["sgd", "adamw"]);
        var timeBudget = new Option<string?>("--time-budget") { Description = "Wall-clock budget for the whole command, such as 4m, 90m or 1h30m: the first steps are timed, the schedule is fitted to the steps that fit, and the run ends within the budget.", HelpName = "duration" };
        var seed = new Option<ulong>("--seed") { Description = "Seed for initialisation, shuffling, augmentation and dropout.", DefaultValueFactory = _ => defaults.Seed };
        var output = CommonOptions.Output($"The model file to write; its checkpoint and curves go beside it (default: {DefaultOutput}).");
        output.Aliases.Add("--out"); // the earlier name
        var resume = CommonOptions.Resume("Continue exactly from a checkpoint (.fmjckpt) with its saved settings; named alone, the checkpoint beside -o.");
        var balance = CommonOptions.Choice("--balance", "Class-imbalance handling: sqrt (loss weights 1/sqrt(count)), inverse (1/count) or none.", "sqrt", ["sqrt", "inverse", "none"]);
        var smoothing = new Option<float>("--label-smoothing") { Description = "Label smoothing of the loss.", DefaultValueFactory = _ => defaults.LabelSmoothing };
        var patience = new Option<int>("--patience") { Description = "Early stopping: epochs without a better validation accuracy (0: off).", DefaultValueFactory = _ => defaults.EarlyStoppingPatience };
        var noAugment = new Option<bool>("--no-augment") { Description = "Train on the images as they are." };
        var augment = new Option<string>("--augment") { Description = "Augmentation recipe: default (crop, flip, rotation, scale, shift, brightness, contrast, erasing) or webcam (the default with wider roll and scale jitter plus gamma, blur, JPEG, noise and occlusion).", DefaultValueFactory = _ => "default" };
        augment.AcceptOnlyFromAmong("default", "webcam");
        var sampler = new Option<string>("--sampler") { Description = "shuffle (every image once an epoch, default) or balanced (classes drawn uniformly, images with replacement).", DefaultValueFactory = _ => "shuffle" };
        sampler.AcceptOnlyFromAmong("shuffle", "balanced");
        var mixup = new Option<double>("--mixup") { Description = "Mixup with lambda ~ Beta(alpha, alpha); 0: off (try 0.2-1)." };
        var cutmix = new Option<double>("--cutmix") { Description = "CutMix with lambda ~ Beta(alpha, alpha); 0: off (try 1). With --mixup, each batch uses one of the two." };
        var perClass = new Option<int?>("--limit-per-class") { Description = "Use at most this many images per class of each split (quick experiments)." };
        var subset = new Option<double?>("--subset") { Description = "Use a stratified fraction (0..1) of each split, keeping the class mix (quick experiments)." };
        var skipBad = new Option<bool>("--skip-bad") { Description = "Count and skip bad CSV rows and undecodable images instead of stopping." };
        var calibrationHoldout = new Option<double>("--calibration-holdout") { Description = "Hold this stratified fraction of train out of training to fit the temperature on at the end (0: calibrate on the validation set only when it is held out of train)." };
        var noCache = new Option<bool>("--no-cache") { Description = "Neither read nor write the decoded-data cache." };
        var cacheDir = CommonOptions.CacheDir();

        var command = new Command("train", "Train an expression classifier on FER2013.");
        foreach (var option in new Option[] { data, val, arch, epochs, batchSize, lr, optimizer, timeBudget, seed, output, resume, balance, smoothing, patience, noAugment, augment, sampler, mixup, cutmix, perClass, subset, calibrationHoldout, skipBad, noCache, cacheDir })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            // The budget is the whole command's: loading the data counts against it.
            var commandClock = System.Diagnostics.Stopwatch.StartNew();
            var loadOptions = new DatasetLoadOptions { SkipBad = parse.GetValue(skipBad), UseCache = !parse.GetValue(noCache), CacheDirectory = parse.GetValue(cacheDir) };
            DatasetSplits Load(string path)
            {
                var loaded = ProgressBars.Run($"loading {Path.GetFileName(Path.TrimEndingDirectorySeparator(path))}", progress => DatasetLoader.Load(path, loadOptions with { Progress = progress }));
                Console.WriteLine(loaded.Describe());
                foreach (var example in loaded.Skipped.Examples)
                {
                    Console.WriteLine($"  skipped: {example}");
                }

                return loaded.Splits;
            }

            var options = defaults with
            {
                Architecture = parse.GetValue(arch)!,
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batchSize),
                LearningRate = parse.GetValue(lr),
                Optimizer = parse.GetValue(optimizer) == "adamw" ? OptimizerKind.AdamW : OptimizerKind.Sgd,
                TimeBudget = parse.GetValue(timeBudget) is { } budget ? DurationText.Parse(budget) : null,
                Seed = parse.GetValue(seed),
                Balance = parse.GetValue(balance) switch { "none" => ClassBalance.None, "inverse" => ClassBalance.Inverse, _ => ClassBalance.SqrtInverse },
                LabelSmoothing = parse.GetValue(smoothing),
                EarlyStoppingPatience = parse.GetValue(patience),
                Sampling = parse.GetValue(sampler) == "balanced" ? SamplingKind.ClassBalanced : SamplingKind.Shuffle,
                MixupAlpha = parse.GetValue(mixup) is var m and (>= 0 and <= 100) ? m : throw new FacemojiException($"--mixup must be an alpha in [0, 100], not {parse.GetValue(mixup)}."),
                CutMixAlpha = parse.GetValue(cutmix) is var c and (>= 0 and <= 100) ? c : throw new FacemojiException($"--cutmix must be an alpha in [0, 100], not {parse.GetValue(cutmix)}."),
                Augmentation = parse.GetValue(noAugment) ? AugmentationOptions.None
                    : parse.GetValue(augment) == "webcam" ? AugmentationOptions.Webcam : defaults.Augmentation,
            };
            string? resumeFrom = parse.GetValue(resume)
                ?? (CommonOptions.IsGiven(parse, resume) ? Trainer.CheckpointPathFor(parse.GetValue(output) ?? DefaultOutput) : null);
            if (resumeFrom is not null)
            {
                // The run continues with its saved settings; its seed also picks the same held-out validation images.
                options = Trainer.ReadOptions(resumeFrom);
            }
            else
            {
                _ = Architectures.Describe(options.Architecture); // an unknown name fails before the data is loaded
                Trainer.CheckSettings(options); // so do --epochs 0, --batch-size 1 and --lr -1
            }

            var splits = Load(parse.GetValue(data)!);
            var selection = TrainingDataSelection.Select(splits, parse.GetValue(val), options.Seed, Load);
            var train = selection.Train;
            var validation = selection.Validation;
            if (parse.GetValue(perClass) is { } limit)
            {
                if (limit < 1)
                {
                    throw new FacemojiException($"--limit-per-class must be at least 1, not {limit}.");
                }

                train = train.TakePerClass(limit, $"{train.Source} (at most {limit} per class)");
                validation = validation.TakePerClass(limit, $"{validation.Source} (at most {limit} per class)");
            }

            if (parse.GetValue(subset) is { } fraction)
            {
                if (fraction is <= 0 or > 1)
                {
                    throw new FacemojiException($"--subset must be a fraction in (0, 1], not {fraction}.");
                }

                if (fraction < 1)
                {
                    train = StratifiedSplit.Split(train, fraction, options.Seed).HeldOut;
                    validation = StratifiedSplit.Split(validation, fraction, options.Seed).HeldOut;
                }
            }

            // Calibration images must be ones the model never trains on: the held-out validation slice, or a slice of its own.
            FerDataset? calibration = selection.ValidationHeldOutOfTrain ? validation : null;
            if (parse.GetValue(calibrationHoldout) is var holdout and not 0)
            {
                if (holdout is < 0 or >= 1)
                {
                    throw new FacemojiException($"--calibration-holdout must be a fraction in [0, 1), not {holdout}.");
                }

                (train, calibration) = StratifiedSplit.Split(train, holdout, options.Seed);
            }

            Console.WriteLine($"train: {train.Describe()}");
            Console.WriteLine($"validation ({selection.ValidationDescription}): {validation.Describe()}");
            string modelPath = parse.GetValue(output) ?? DefaultOutput;
            var monitor = new ConsoleTrainingMonitor();
            var trainer = new Trainer(monitor) { BudgetClock = commandClock };
            var result = monitor.Run(() => resumeFrom is not null
                ? trainer.Resume(train, validation, resumeFrom, modelPath)
                : trainer.Train(train, validation, options, modelPath));

            Console.WriteLine($"best validation accuracy {result.BestValidationAccuracy:P2} at epoch {result.BestEpoch} of {Plural(result.History.Count, "epoch")} run ({result.PlannedEpochs} planned{(result.StoppedEarly ? ", stopped early" : string.Empty)}); {result.TrainingImagesPerSecond:F0} training images/s; {DurationText.Format(commandClock.Elapsed)} in all");
            if (calibration is not null)
            {
                var fitted = ModelCalibrator.Fit(result.ModelPath, calibration);
                ModelCalibrator.Write(fitted, result.ModelPath);
                Console.WriteLine($"calibration: {fitted.Describe()}");
            }
            else
            {
                Console.WriteLine($"calibration: none (the validation set, {selection.ValidationDescription}, was not held out of train; pass --calibration-holdout 0.05 to hold calibration images out of training)");
            }

            Console.WriteLine($"model: {CommonOptions.DescribeModelFile(result.ModelPath)}");
            Console.WriteLine($"checkpoint: {result.CheckpointPath}");
            Console.WriteLine($"curves: {result.CurvesPath}, {result.CurvesPngPath}");
            return 0;
        });
        return command;
    }
}
