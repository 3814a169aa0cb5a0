using System.Diagnostics;
using System.Text.Json;
using Facemoji.Engine;
using Facemoji.Engine.Modules;
using Facemoji.Engine.Networks;
using Facemoji.Engine.Optim;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Serialization;
using Facemoji.Engine.Tensors;
using Facemoji.Expressions;
using Facemoji.Training.Augmentation;
using Facemoji.Training.Data;
using Facemoji.Training.Evaluation;
using Facemoji.Training.Reports;

namespace Facemoji.Training.Runs;

/// <summary>
/// The training loop. Per epoch: shuffle (seeded), augment each batch, forward, class-weighted label-smoothed
/// cross-entropy, backward, clip, step with the warm-up + cosine learning rate; then validate. The best epoch by
/// validation accuracy is saved as the model file (its header carries the metrics); after every epoch a
/// checkpoint holds the model, the optimizer, every random generator and this trainer's state, so that
/// <see cref="Resume"/> continues exactly as if the run had not stopped.
/// Files: the model at <c>modelPath</c>, the checkpoint beside it (<c>.fmjckpt</c>), the curves (<c>.curves.svg</c>).
/// </summary>
public sealed class Trainer
{
    /// <summary>
    /// FER2013 faces are framed like a Haar detector's box grown by 1% per side (a 1.02 box): the framing the
    /// pipeline's FaceCrop reproduces, measured in docs/PIPELINE.md.
    /// </summary>
    public const string FerCropPolicy = "face-box-1.02";

    private static readonly JsonSerializerOptions Json = new() { IncludeFields = false, WriteIndented = false };

    private readonly ITrainingMonitor monitor;
    private readonly int? interruptAfterEpoch;

    /// <param name="monitor">Receives progress.</param>
    /// <param name="interruptAfterEpoch">Stop after this epoch as if killed, leaving the checkpoint (tests of --resume).</param>
    public Trainer(ITrainingMonitor monitor, int? interruptAfterEpoch = null)
    {
        this.monitor = monitor;
        this.interruptAfterEpoch = interruptAfterEpoch;
    }

    public static string CheckpointPathFor(string modelPath) => Path.ChangeExtension(modelPath, TrainingCheckpoint.Extension);

    public static string CurvesPathFor(string modelPath) => Path.ChangeExtension(modelPath, ".curves.svg");

    /// <summary>Starts a new run.</summary>
    public TrainingResult Train(FerDataset train, FerDataset validation, TrainingOptions options, string modelPath)
    {
        Validate(options, train, validation);
        var run = new Run(options, train, validation, modelPath, monitor, interruptAfterEpoch);
        var state = new TrainerState
        {
            Options = options,
            PlannedEpochs = options.TimeBudget is null ? options.Epochs : 0,
            TrainFingerprint = train.Fingerprint(),
            ValidationFingerprint = validation.Fingerprint(),
        };
        return run.Execute(state);
    }

    /// <summary>Continues the run saved in <paramref name="checkpointPath"/> with its saved settings, on the same data.</summary>
    public TrainingResult Resume(FerDataset train, FerDataset validation, string checkpointPath, string modelPath)
    {
        if (!File.Exists(checkpointPath))
        {
            throw new FacemojiException($"{checkpointPath}: no such checkpoint to resume from.");
        }

        var checkpoint = TrainingCheckpoint.Load(checkpointPath);
        var state = ReadState(checkpoint);
        Validate(state.Options, train, validation);
        if (state.TrainFingerprint != train.Fingerprint() || state.ValidationFingerprint != validation.Fingerprint())
        {
            throw new FacemojiException($"{checkpointPath}: was trained on other data ({train.Count} training and {validation.Count} validation images now); resume with the same --data, --val, --subset and --limit-per-class.");
        }

        var run = new Run(state.Options, train, validation, modelPath, monitor, interruptAfterEpoch);
        run.Restore(checkpoint);
        monitor.Message($"resuming {checkpointPath} after epoch {checkpoint.Progress.Epoch} (step {checkpoint.Progress.Step}, best validation accuracy {Math.Max(0, state.BestAccuracy):P2})");
        return run.Execute(state);
    }

    /// <summary>The settings a checkpoint was trained with (the CLI takes the seed of its validation split from them).</summary>
    public static TrainingOptions ReadOptions(string checkpointPath)
    {
        if (!File.Exists(checkpointPath))
        {
            throw new FacemojiException($"{checkpointPath}: no such checkpoint to resume from.");
        }

        return ReadState(TrainingCheckpoint.Load(checkpointPath)).Options;
    }

    private static TrainerState ReadState(LoadedTrainingCheckpoint checkpoint)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainerState>(checkpoint.Progress.TrainerJson, Json)
                ?? throw new FacemojiException($"{checkpoint.Path}: holds no trainer state.");
        }
        catch (JsonException ex)
        {
            throw new FacemojiException($"{checkpoint.Path}: its trainer state does not read ({ex.Message}).", ex);
        }
    }

    /// <summary>
    /// Checks the settings that need no data (epochs, batch size, learning rate), so a command can refuse them
    /// before it spends minutes loading a dataset.
    /// </summary>
    public static void CheckSettings(TrainingOptions options)
    {
        if (options.Epochs < 1)
        {
            throw new FacemojiException($"--epochs must be at least 1, not {options.Epochs}.");
        }

        if (options.BatchSize < 2)
        {
            throw new FacemojiException($"--batch-size must be at least 2, not {options.BatchSize}.");
        }

        if (!(options.LearningRate > 0) || !double.IsFinite(options.LearningRate))
        {
            throw new FacemojiException($"--lr must be a finite number above 0, not {options.LearningRate}.");
        }

        if (options.EvaluationBatchSize < 1)
        {
            throw new FacemojiException($"the evaluation batch size must be at least 1, not {options.EvaluationBatchSize}.");
        }
    }

    private static void Validate(TrainingOptions options, FerDataset train, FerDataset validation)
    {
        CheckSettings(options);

        if (train.Count < 2)
        {
            throw new FacemojiException($"{train.Source}: {train.Count} training images; training needs at least 2.");
        }

        if (validation.Count < 1)
        {
            throw new FacemojiException($"{validation.Source}: the validation set is empty.");
        }
    }

    /// <summary>One run's live objects: the network, optimizer, loss, generators and buffers.</summary>
    private sealed class Run
    {
        private readonly TrainingOptions options;
        private readonly FerDataset train;
        private readonly FerDataset validation;
        private readonly string modelPath;
        private readonly ITrainingMonitor monitor;
        private readonly Module model;
        private readonly Optimizer optimizer;
        private readonly CrossEntropyLoss trainLoss;
        private readonly CrossEntropyLoss partnerLoss;
        private readonly CrossEntropyLoss validationLoss = new();
        private readonly Augmenter augmenter;
        private readonly SeededRandom shuffleRandom;
        private readonly SeededRandom augmentRandom;
        private readonly IReadOnlyList<(string Name, Dropout Dropout)> dropouts;
        private readonly int batchSize;
        private readonly int stepsPerEpoch;
        private readonly int? interruptAfterEpoch;
        private int completedEpochs;

        public Run(TrainingOptions options, FerDataset train, FerDataset validation, string modelPath, ITrainingMonitor monitor, int? interruptAfterEpoch)
        {
            this.interruptAfterEpoch = interruptAfterEpoch;
            this.options = options;
            this.train = train;
            this.validation = validation;
            this.modelPath = modelPath;
            this.monitor = monitor;
            var root = new SeededRandom(options.Seed);
            model = Architectures.Create(options.Architecture, root.Fork(1));
            shuffleRandom = root.Fork(2);
            augmentRandom = root.Fork(3);
            dropouts = FindDropouts(model, string.Empty).ToArray();
            optimizer = options.Optimizer == OptimizerKind.AdamW
                ? new AdamW(model.Parameters(), options.LearningRate, options.WeightDecay)
                : new Sgd(model.Parameters(), options.LearningRate, options.Momentum, weightDecay: options.WeightDecay, nesterov: options.Momentum > 0);
            var weights = ClassWeights.Compute(train.ClassCounts(), options.Balance);
            trainLoss = new CrossEntropyLoss(options.LabelSmoothing, weights);
            partnerLoss = new CrossEntropyLoss(options.LabelSmoothing, weights);
            augmenter = new Augmenter(options.Augmentation, options.Normalization);
            // Full batches only (as drop_last): a last batch of one image would upset batch normalisation.
            batchSize = Math.Min(options.BatchSize, train.Count);
            stepsPerEpoch = train.Count / batchSize;
            monitor.Message($"{options.Architecture}: {model.Parameters().Sum(p => (long)p.Value.Length):N0} parameters; {train.Count} training images ({stepsPerEpoch} steps of {batchSize}), {validation.Count} validation images");
            monitor.Message($"{options.Optimizer} lr {options.LearningRate} wd {options.WeightDecay}, label smoothing {options.LabelSmoothing}, class weights: {ClassWeights.Describe(weights)}");
        }

        public void Restore(LoadedTrainingCheckpoint checkpoint)
        {
            if (checkpoint.Model.Header.Architecture != options.Architecture)
            {
                throw new FacemojiException($"{checkpoint.Path}: holds a {checkpoint.Model.Header.Architecture}, its settings say {options.Architecture}.");
            }

            checkpoint.Restore(model, optimizer);
            var states = checkpoint.Progress.RandomStates;
            shuffleRandom.Restore(Required(states, "shuffle", checkpoint.Path));
            augmentRandom.Restore(Required(states, "augment", checkpoint.Path));
            foreach (var (name, dropout) in dropouts)
            {
                dropout.Random.Restore(Required(states, "dropout/" + name, checkpoint.Path));
            }

            completedEpochs = checkpoint.Progress.Epoch;
        }

        /// <summary>The lock file beside the model (<c>MODEL.lock</c>), open exclusively until the run ends.</summary>
        private static FileStream LockOutput(string modelPath)
        {
            string lockPath = Path.GetFullPath(modelPath) + ".lock";
            try
            {
                // FileShare.None is an exclusive flock(2) on Unix and a share-mode lock on Windows; both go with the process.
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException ex)
            {
                throw new FacemojiException(
                    $"{modelPath}: another training run is writing this model (it holds {lockPath}); wait for it to finish or pick another --out.", ex);
            }
        }

        public TrainingResult Execute(TrainerState state)
        {
            string checkpointPath = CheckpointPathFor(modelPath);
            string curvesPath = CurvesPathFor(modelPath);
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(modelPath))!);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new FacemojiException($"{modelPath}: cannot create its folder ({ex.Message}).", ex);
            }

            // Held for the whole run: a second run on the same --out would mix its checkpoint with this run's model.
            using FileStream outputLock = LockOutput(modelPath);
            bool stoppedEarly = false;
            while (true)
            {
                int planned = state.PlannedEpochs == 0 ? options.Epochs : state.PlannedEpochs;
                if (completedEpochs >= planned)
                {
                    break;
                }

                if (completedEpochs == interruptAfterEpoch)
                {
                    break;
                }

                if (options.TimeBudget is { } budget && state.History.Count > 0
                    && state.ElapsedSeconds + state.History[^1].Seconds > budget.TotalSeconds * 1.02)
                {
                    stoppedEarly = true;
                    monitor.Message($"time budget: {state.ElapsedSeconds:F0} s spent, another epoch would pass {budget:g}; stopping");
                    break;
                }

                if (options.EarlyStoppingPatience > 0 && state.EpochsWithoutImprovement >= options.EarlyStoppingPatience)
                {
                    stoppedEarly = true;
                    monitor.Message($"early stop: no better validation accuracy for {state.EpochsWithoutImprovement} epochs (best {state.BestAccuracy:P2} at epoch {state.BestEpoch})");
                    break;
                }

                int epoch = completedEpochs + 1;
                var clock = Stopwatch.StartNew();
                var (trainLossMean, trainAccuracy, trainSeconds) = TrainEpoch(epoch, planned);
                var (valLoss, valAccuracy, report) = Validate();
                double seconds = clock.Elapsed.TotalSeconds;
                var record = new EpochRecord(epoch, trainLossMean, trainAccuracy, valLoss, valAccuracy, optimizer.LearningRate, seconds);
                bool improved = valAccuracy > state.BestAccuracy;
                state = state with
                {
                    History = [.. state.History, record],
                    BestEpoch = improved ? epoch : state.BestEpoch,
                    BestAccuracy = improved ? valAccuracy : state.BestAccuracy,
                    EpochsWithoutImprovement = improved ? 0 : state.EpochsWithoutImprovement + 1,
                    ElapsedSeconds = state.ElapsedSeconds + seconds,
                    ImagesSeen = state.ImagesSeen + (long)stepsPerEpoch * batchSize,
                    TrainingSeconds = state.TrainingSeconds + trainSeconds,
                };
                completedEpochs = epoch;

                if (state.PlannedEpochs == 0)
                {
                    state = state with { PlannedEpochs = PlanEpochs(seconds) };
                }

                if (improved)
                {
                    ModelFile.Save(modelPath, model, Header(state, report, record));
                }

                SaveCheckpoint(checkpointPath, state);
                TrainingCurvesSvg.Write(state.History, $"{options.Architecture}, seed {options.Seed}", curvesPath);
                monitor.EpochCompleted(record, state.PlannedEpochs, improved);
            }

            if (state.BestEpoch == 0)
            {
                throw new FacemojiException($"{checkpointPath}: the run has no completed epoch to export.");
            }

            double imagesPerSecond = state.TrainingSeconds > 0 ? state.ImagesSeen / state.TrainingSeconds : 0;
            return new TrainingResult(state.History, state.BestEpoch, state.BestAccuracy, modelPath, checkpointPath, curvesPath, imagesPerSecond, stoppedEarly, state.PlannedEpochs);
        }

        /// <summary>After the first epoch: how many epochs fit the budget (at least one more than done, at most Options.Epochs).</summary>
        private int PlanEpochs(double firstEpochSeconds)
        {
            var budget = options.TimeBudget!.Value.TotalSeconds;
            int fit = (int)Math.Floor(budget / Math.Max(1e-3, firstEpochSeconds));
            int planned = Math.Clamp(fit, 1, options.Epochs);
            monitor.Message($"time budget {options.TimeBudget.Value:g}: the first epoch took {firstEpochSeconds:F1} s, so {planned} epochs are planned and the schedule is stretched over them");
            return planned;
        }

        private ILearningRateSchedule Schedule(int plannedEpochs)
        {
            long total = (long)Math.Max(1, plannedEpochs) * stepsPerEpoch;
            long warmup = Math.Min(total, (long)Math.Round(options.WarmupEpochs * stepsPerEpoch));
            return new CosineWarmupSchedule(options.LearningRate, warmup, total, options.LearningRate * options.FinalLearningRateFraction);
        }

        private (double Loss, double Accuracy, double Seconds) TrainEpoch(int epoch, int plannedEpochs)
        {
            // Before the budget has been measured the plan is Options.Epochs; warm-up (the first epoch) does not depend on it.
            var schedule = Schedule(plannedEpochs);
            model.Train();
            var order = EpochOrder.Next(train, options.Sampling, shuffleRandom);
            var input = new Tensor(batchSize, 1, FerDataset.Side, FerDataset.Side);
            var targets = new int[batchSize];
            double lossSum = 0;
            long correct = 0;
            var clock = Stopwatch.StartNew();
            monitor.EpochStarted(epoch, plannedEpochs, stepsPerEpoch);
            for (int step = 0; step < stepsPerEpoch; step++)
            {
                var indices = order.AsSpan(step * batchSize, batchSize);
                augmenter.Augment(train, indices, augmentRandom, input);
                for (int i = 0; i < batchSize; i++)
                {
                    targets[i] = train.Labels[indices[i]];
                }

                var mix = BatchMixing.Apply(input, targets, options.MixupAlpha, options.CutMixAlpha, augmentRandom);
                optimizer.LearningRate = schedule.LearningRateAt(optimizer.StepCount + 1);
                var logits = model.Forward(input);
                float loss = mix is null ? trainLoss.Forward(logits, targets) : MixedLoss(logits, targets, mix);
                if (!float.IsFinite(loss))
                {
                    throw new FacemojiException($"The training loss became {loss} at epoch {epoch}, step {step + 1}; lower the learning rate (--lr {options.LearningRate}).");
                }

                optimizer.ZeroGrad();
                model.Backward(mix is null ? trainLoss.Backward() : MixedGradient(mix));
                if (options.GradientClipNorm > 0)
                {
                    GradientClipping.ClipByGlobalNorm(optimizer.Parameters, options.GradientClipNorm);
                }

                optimizer.Step();
                lossSum += loss;
                correct += CountCorrect(trainLoss.Probabilities.Span, targets, logits[1]);
                monitor.StepCompleted(epoch, step + 1, stepsPerEpoch, lossSum / (step + 1), (double)correct / ((step + 1) * batchSize));
            }

            return (lossSum / stepsPerEpoch, (double)correct / (stepsPerEpoch * batchSize), clock.Elapsed.TotalSeconds);
        }

        // λ·CE(y) + (1−λ)·CE(y_partner) and its gradient λ·g + (1−λ)·g_partner, written into trainLoss's buffer.
        private float MixedLoss(Tensor logits, int[] targets, BatchMixing.Mix mix) =>
            mix.Lambda * trainLoss.Forward(logits, targets) + (1 - mix.Lambda) * partnerLoss.Forward(logits, mix.PartnerTargets);

        private Tensor MixedGradient(BatchMixing.Mix mix)
        {
            var g = trainLoss.Backward().Span;
            var partner = partnerLoss.Backward().Span;
            for (int i = 0; i < g.Length; i++)
            {
                g[i] = mix.Lambda * g[i] + (1 - mix.Lambda) * partner[i];
            }

            return trainLoss.Backward();
        }

        private (double Loss, double Accuracy, ClassificationReport Report) Validate()
        {
            model.Eval();
            var plain = new Augmenter(AugmentationOptions.None, options.Normalization);
            int size = Math.Min(options.EvaluationBatchSize, validation.Count);
            var buffer = new float[size * FerDataset.PixelsPerImage];
            var predicted = new int[validation.Count];
            var truth = new int[validation.Count];
            double lossSum = 0;
            for (int start = 0; start < validation.Count; start += size)
            {
                int n = Math.Min(size, validation.Count - start);
                var indices = Enumerable.Range(start, n).ToArray();
                var input = new Tensor(buffer, n, 1, FerDataset.Side, FerDataset.Side);
                plain.Plain(validation, indices, input);
                var targets = indices.Select(i => (int)validation.Labels[i]).ToArray();
                var logits = model.Forward(input);
                lossSum += (double)validationLoss.Forward(logits, targets) * n;
                var best = Predictor.ArgMax(validationLoss.Probabilities.Span, logits[1]);
                best.CopyTo(predicted, start);
                targets.CopyTo(truth, start);
            }

            var report = ClassificationReport.Compute(truth, predicted, EmotionNames.Canonical);
            return (lossSum / validation.Count, report.Accuracy, report);
        }

        private ModelHeader Header(TrainerState state, ClassificationReport report, EpochRecord record)
        {
            var metrics = new Dictionary<string, double>
            {
                ["val_accuracy"] = report.Accuracy,
                ["val_macro_f1"] = report.MacroF1,
                ["val_loss"] = record.ValidationLoss,
                ["val_n"] = report.N,
                ["train_loss"] = record.TrainLoss,
                ["train_accuracy"] = record.TrainAccuracy,
                ["epoch"] = record.Epoch,
            };
            foreach (var m in report.PerClass)
            {
                metrics[$"val_f1_{m.Label}"] = m.F1;
            }

            return new ModelHeader
            {
                Architecture = options.Architecture,
                Labels = EmotionNames.Canonical,
                Preprocessing = new PreprocessingSettings
                {
                    Width = FerDataset.Side,
                    Height = FerDataset.Side,
                    Channels = 1,
                    Mean = [options.Normalization.Mean],
                    Std = [options.Normalization.Std],
                    CropPolicy = FerCropPolicy,
                },
                Metrics = metrics,
                TrainingInfo = new Dictionary<string, string>
                {
                    ["train_data"] = train.Source,
                    ["validation_data"] = validation.Source,
                    ["train_images"] = train.Count.ToString(),
                    ["seed"] = options.Seed.ToString(),
                    ["epochs_planned"] = state.PlannedEpochs.ToString(),
                    ["options"] = JsonSerializer.Serialize(options, Json),
                },
            };
        }

        private void SaveCheckpoint(string path, TrainerState state)
        {
            var randomStates = new Dictionary<string, ulong[]>
            {
                ["shuffle"] = shuffleRandom.SaveState(),
                ["augment"] = augmentRandom.SaveState(),
            };
            foreach (var (name, dropout) in dropouts)
            {
                randomStates["dropout/" + name] = dropout.Random.SaveState();
            }

            var progress = new TrainingProgress
            {
                Epoch = completedEpochs,
                Step = optimizer.StepCount,
                BestMetric = state.BestAccuracy,
                RandomStates = randomStates,
                TrainerJson = JsonSerializer.Serialize(state, Json),
            };
            var header = new ModelHeader
            {
                Architecture = options.Architecture,
                Labels = EmotionNames.Canonical,
                Preprocessing = new PreprocessingSettings
                {
                    Width = FerDataset.Side, Height = FerDataset.Side, Channels = 1,
                    Mean = [options.Normalization.Mean], Std = [options.Normalization.Std], CropPolicy = FerCropPolicy,
                },
            };
            TrainingCheckpoint.Save(path, model, header, optimizer, progress);
        }

        private static long CountCorrect(ReadOnlySpan<float> probabilities, ReadOnlySpan<int> targets, int classes)
        {
            var predicted = Predictor.ArgMax(probabilities, classes);
            long correct = 0;
            for (int i = 0; i < targets.Length; i++)
            {
                correct += predicted[i] == targets[i] ? 1 : 0;
            }

            return correct;
        }

        private static ulong[] Required(IReadOnlyDictionary<string, ulong[]> states, string name, string path) =>
            states.TryGetValue(name, out var state) ? state : throw new FacemojiException($"{path}: the checkpoint lacks the '{name}' random state.");

        private static IEnumerable<(string Name, Dropout Dropout)> FindDropouts(Module module, string prefix)
        {
            foreach (var (name, child) in module.Children())
            {
                string path = prefix.Length == 0 ? name : prefix + "." + name;
                if (child is Dropout dropout)
                {
                    yield return (path, dropout);
                }

                foreach (var inner in FindDropouts(child, path))
                {
                    yield return inner;
                }
            }
        }
    }
}
