using System.CommandLine;
using Facemoji.Engine.Networks;
using Facemoji.Training.Augmentation;
using Facemoji.Training.Data;
using Facemoji.Training.Runs;

namespace Facemoji.Cli.Commands.Training;

/// <summary>The options of <c>facemoji train</c> and their binding into a <see cref="TrainingRequest"/>; the checks are the request's.</summary>
public sealed class TrainCommandOptions
{
    private static readonly TrainingOptions Defaults = new();

    private readonly Option<string> data = new("--data") { Description = "The training data: a FER2013 CSV, a folder of class folders, or a dataset root with train/ and test/ (and val/).", Required = true };

    private readonly Option<string?> val = new("--val") { Description = "Validation data: a split of --data (val, test) or another dataset. Default: the data's val split, else its test split, else a stratified 10% of train." };

    private readonly Option<string> arch = CommonOptions.Choice("--arch", "The network.", Defaults.Architecture, Architectures.Names);

    private readonly Option<string?> init = new("--init") { Description = "Start from the weights of this model file (.fmj, same --arch) instead of a fresh network: fine-tuning, or a second cosine cycle.", HelpName = "model" };

    private readonly Option<string[]> teacher = new("--teacher") { Description = "Distil from this trained model file (.fmj, any --arch with the same classes and input; repeat for an ensemble): the mean of the teachers' softened probabilities on each augmented batch joins the labels as soft targets.", HelpName = "model" };

    private readonly Option<double> distillWeight = new("--distill-weight") { Description = "With --teacher: alpha in [0, 1], the soft targets' share of the loss, (1 - alpha) * label loss + alpha * T^2 * KL.", DefaultValueFactory = _ => Defaults.DistillationWeight };

    private readonly Option<double> distillTemperature = new("--distill-temperature") { Description = "With --teacher: T > 0, the softening of the teachers' and the student's logits.", DefaultValueFactory = _ => Defaults.DistillationTemperature };

    private readonly Option<int> epochs = new("--epochs") { Description = "The most epochs to run (a --time-budget can plan fewer).", DefaultValueFactory = _ => Defaults.Epochs };

    private readonly Option<int> batchSize = new("--batch-size") { Description = "Images per step.", DefaultValueFactory = _ => Defaults.BatchSize };

    private readonly Option<double> lr = new("--lr") { Description = "Peak learning rate (1 epoch of warm-up, then cosine).", DefaultValueFactory = _ => Defaults.LearningRate };

    private readonly Option<string> optimizer = CommonOptions.Choice("--optimizer", "sgd (Nesterov momentum 0.9) or adamw.", "sgd", ["sgd", "adamw"]);

    private readonly Option<string?> timeBudget = new("--time-budget") { Description = "Wall-clock budget for the whole command, such as 4m, 90m or 1h30m: the first steps are timed, the schedule is fitted to the steps that fit, and the run ends within the budget.", HelpName = "duration" };

    private readonly Option<ulong> seed = new("--seed") { Description = "Seed for initialisation, shuffling, augmentation and dropout.", DefaultValueFactory = _ => Defaults.Seed };

    private readonly Option<string?> output = CommonOptions.Output($"The model file to write; its checkpoint and curves go beside it (default: {TrainCommand.DefaultOutput}).");

    private readonly Option<string?> resume = CommonOptions.Resume("Continue exactly from a checkpoint (.fmjckpt) with its saved settings; named alone, the checkpoint beside -o.");

    private readonly Option<string> balance = CommonOptions.Choice("--balance", "Class-imbalance handling: sqrt (loss weights 1/sqrt(count)), inverse (1/count) or none.", "sqrt", ["sqrt", "inverse", "none"]);

    private readonly Option<float> smoothing = new("--label-smoothing") { Description = "Label smoothing of the loss.", DefaultValueFactory = _ => Defaults.LabelSmoothing };

    private readonly Option<int> patience = new("--patience") { Description = "Early stopping: epochs without a better validation accuracy (0: off).", DefaultValueFactory = _ => Defaults.EarlyStoppingPatience };

    private readonly Option<bool> noAugment = new("--no-augment") { Description = "Train on the images as they are." };

    private readonly Option<string> augment = new("--augment") { Description = "Augmentation recipe: default (crop, flip, rotation, scale, shift, brightness, contrast, erasing) or webcam (the default with wider roll and scale jitter plus gamma, blur, JPEG, noise and occlusion).", DefaultValueFactory = _ => "default" };

    private readonly Option<string> sampler = new("--sampler") { Description = "shuffle (every image once an epoch, default) or balanced (classes drawn uniformly, images with replacement).", DefaultValueFactory = _ => "shuffle" };

    private readonly Option<double> mixup = new("--mixup") { Description = "Mixup with lambda ~ Beta(alpha, alpha); 0: off (try 0.2-1)." };

    private readonly Option<double> cutmix = new("--cutmix") { Description = "CutMix with lambda ~ Beta(alpha, alpha); 0: off (try 1). With --mixup, each batch uses one of the two." };

    private readonly Option<int?> perClass = new("--limit-per-class") { Description = "Use at most this many images per class of each split (quick experiments)." };

    private readonly Option<double?> subset = new("--subset") { Description = "Use a stratified fraction (0..1) of each split, keeping the class mix (quick experiments)." };

    private readonly Option<bool> skipBad = new("--skip-bad") { Description = "Count and skip bad CSV rows and undecodable images instead of stopping." };

    private readonly Option<double> calibrationHoldout = new("--calibration-holdout") { Description = "Hold this stratified fraction of train out of training to fit the temperature on at the end (0: calibrate on the validation set only when it is held out of train)." };

    private readonly Option<bool> noCache = new("--no-cache") { Description = "Neither read nor write the decoded-data cache." };

    private readonly Option<string?> cacheDir = CommonOptions.CacheDir();

    public TrainCommandOptions()
    {
        output.Aliases.Add("--out"); // the earlier name
        augment.AcceptOnlyFromAmong("default", "webcam");
        sampler.AcceptOnlyFromAmong("shuffle", "balanced");
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { data, val, arch, init, teacher, distillWeight, distillTemperature, epochs, batchSize, lr, optimizer, timeBudget, seed, output, resume, balance, smoothing, patience, noAugment, augment, sampler, mixup, cutmix, perClass, subset, calibrationHoldout, skipBad, noCache, cacheDir })
        {
            command.Options.Add(option);
        }
    }

    public TrainingRequest Read(ParseResult parse)
    {
        string modelPath = parse.GetValue(output) ?? TrainCommand.DefaultOutput;
        return new TrainingRequest
        {
            Data = parse.GetValue(data)!,
            Validation = parse.GetValue(val),
            Options = ReadOptions(parse),
            // --resume named alone: the checkpoint beside -o.
            ResumeFrom = parse.GetValue(resume) ?? (CommonOptions.IsGiven(parse, resume) ? Trainer.CheckpointPathFor(modelPath) : null),
            ModelPath = modelPath,
            Load = new DatasetLoadOptions { SkipBad = parse.GetValue(skipBad), UseCache = !parse.GetValue(noCache), CacheDirectory = parse.GetValue(cacheDir) },
            LimitPerClass = parse.GetValue(perClass),
            Subset = parse.GetValue(subset),
            CalibrationHoldout = parse.GetValue(calibrationHoldout),
        };
    }

    private TrainingOptions ReadOptions(ParseResult parse)
    {
        string[] teachers = parse.GetValue(teacher) ?? [];
        if (teachers.Length == 0)
        {
            foreach (var option in new Option[] { distillWeight, distillTemperature })
            {
                if (CommonOptions.IsGiven(parse, option))
                {
                    throw new FacemojiException($"{option.Name} needs --teacher MODEL.fmj (the model to distil from).");
                }
            }
        }

        return ReadOptions(parse, teachers);
    }

    private TrainingOptions ReadOptions(ParseResult parse, string[] teachers) => Defaults with
    {
        Architecture = parse.GetValue(arch)!,
        InitialModel = parse.GetValue(init),
        Teachers = teachers.Length > 0 ? teachers : null,
        DistillationWeight = parse.GetValue(distillWeight),
        DistillationTemperature = parse.GetValue(distillTemperature),
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
        MixupAlpha = parse.GetValue(mixup),
        CutMixAlpha = parse.GetValue(cutmix),
        Augmentation = parse.GetValue(noAugment) ? AugmentationOptions.None
            : parse.GetValue(augment) == "webcam" ? AugmentationOptions.Webcam : Defaults.Augmentation,
    };
}
