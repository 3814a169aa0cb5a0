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
/// cross-entropy (blended with the teachers' soft targets when distilling, <see cref="DistillationTeachers"/>), backward, clip, step with the warm-up + cosine learning rate; then validate. The best epoch by
/// validation accuracy is saved as the model file (its header carries the metrics); after every epoch a
/// checkpoint holds the model, the optimizer, every random generator and this trainer's state, so that
/// <see cref="Resume"/> continues exactly as if the run had not stopped.
/// Files: the model at <c>modelPath</c>, the checkpoint beside it (<c>.fmjckpt</c>), the curves (<c>.curves.svg</c> and <c>.curves.png</c>).
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

    /// <summary>
    /// The clock a time budget is counted on: the CLI starts it when the command starts, so that loading the
    /// data counts too and the whole command keeps the promise. Null: the budget counts from the first step.
    /// </summary>
    public Stopwatch? BudgetClock { get; init; }

    public static string CheckpointPathFor(string modelPath) => Path.ChangeExtension(modelPath, TrainingCheckpoint.Extension);

    public static string CurvesPathFor(string modelPath) => Path.ChangeExtension(modelPath, ".curves.svg");

    /// <summary>Starts a new run.</summary>
    public TrainingResult Train(FerDataset train, FerDataset validation, TrainingOptions options, string modelPath)
    {
        Validate(options, train, validation);
        CheckOutputs(options, modelPath);
        var run = new Run(options, train, validation, modelPath, monitor, interruptAfterEpoch, BudgetClock);
        if (options.InitialModel is { } initial)
        {
            run.StartFrom(initial);
        }

        var state = new TrainerState
        {
            Options = options,
            PlannedEpochs = options.TimeBudget is null ? options.Epochs : 0,
            PlannedSteps = options.TimeBudget is null ? (long)options.Epochs * run.StepsPerEpoch : 0,
            TrainFingerprint = train.Fingerprint(),
            ValidationFingerprint = validation.Fingerprint(),
            Teachers = run.TeacherFiles,
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
        DistillationTeachers.CheckUnchanged(state.Teachers, checkpointPath);
        // The teachers are checked as the run builds them, against the checkpoint's checksums (CheckTeachersUnchanged below): not read here as well.
        CheckSettingsButTeachers(state.Options);
        Validate(state.Options, train, validation);
        CheckOutputs(state.Options, modelPath);
        if (state.TrainFingerprint != train.Fingerprint() || state.ValidationFingerprint != validation.Fingerprint())
        {
            throw new FacemojiException($"{checkpointPath}: was trained on other data ({train.Count} training and {validation.Count} validation images now); resume with the same --data, --val, --subset and --limit-per-class.");
        }

        var run = new Run(state.Options, train, validation, modelPath, monitor, interruptAfterEpoch, BudgetClock);
        run.CheckTeachersUnchanged(state.Teachers, checkpointPath);
        run.Restore(checkpoint);
        monitor.Message($"resuming {checkpointPath} after epoch {checkpoint.Progress.Epoch} (step {checkpoint.Progress.Step}, best validation accuracy {Math.Max(0, state.BestAccuracy):P2})");
        return run.Execute(state);
    }

    /// <summary>
    /// The settings a checkpoint was trained with (the CLI takes the seed of its validation split from them), after
    /// checking that its teacher files, if any, are unchanged: a resumed run is refused before its data is loaded.
    /// </summary>
    public static TrainingOptions ReadOptions(string checkpointPath)
    {
        if (!File.Exists(checkpointPath))
        {
            throw new FacemojiException($"{checkpointPath}: no such checkpoint to resume from.");
        }

        var state = ReadState(TrainingCheckpoint.Load(checkpointPath));
        DistillationTeachers.CheckUnchanged(state.Teachers, checkpointPath);
        return state.Options;
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
    /// Checks the settings that need no data (epochs, batch size, learning rate, the --init and --teacher files), so a command can refuse them
    /// before it spends minutes loading a dataset.
    /// </summary>
    public static void CheckSettings(TrainingOptions options)
    {
        CheckSettingsButTeachers(options);
        DistillationTeachers.Check(options);
    }

    private static void CheckSettingsButTeachers(TrainingOptions options)
    {
        CheckNumbers(options);
        if (options.InitialModel is { } initial)
        {
            _ = ReadInitialModel(initial, options.Architecture);
        }
    }

    // The settings that are numbers: checked again beside the data, where the files of --init and --teacher are not
    // read again (the run reads and checks them as it loads them, before it writes anything).
    private static void CheckNumbers(TrainingOptions options)
    {
        if (options.Epochs < 1)
        {
            throw new FacemojiException($"--epochs must be at least 1, not {options.Epochs}.");
        }

        if (options.BatchSize is < 2 or > TrainingOptions.MaxBatchSize)
        {
            throw new FacemojiException($"--batch-size must be 2 to {TrainingOptions.MaxBatchSize}, not {options.BatchSize}.");
        }

        if (!(options.LabelSmoothing is >= 0 and <= 1))
        {
            throw new FacemojiException($"--label-smoothing must be in [0, 1], not {options.LabelSmoothing}.");
        }

        if (options.EarlyStoppingPatience < 0)
        {
            throw new FacemojiException($"--patience must be 0 (no early stopping) or more, not {options.EarlyStoppingPatience}.");
        }

        if (!(options.LearningRate > 0) || !double.IsFinite(options.LearningRate))
        {
            throw new FacemojiException($"--lr must be a finite number above 0, not {options.LearningRate}.");
        }

        if (options.EvaluationBatchSize is < 1 or > TrainingOptions.MaxBatchSize)
        {
            throw new FacemojiException($"the evaluation batch size must be 1 to {TrainingOptions.MaxBatchSize}, not {options.EvaluationBatchSize}.");
        }

        DistillationTeachers.CheckNumbers(options);
    }

    /// <summary>
    /// The run writes the model, its checkpoint and its curves by renaming a temporary file over each: none may be a
    /// folder or a device (as root, -o /dev/null would replace the device), refused before the data loads, not after
    /// the run. A teacher that is the run's own output would be overwritten by the run (and --resume would then refuse it).
    /// </summary>
    internal static void CheckOutputs(TrainingOptions options, string modelPath)
    {
        foreach (string output in (string[])[modelPath, CheckpointPathFor(modelPath), CurvesPathFor(modelPath)])
        {
            if (OutputFile.Problem(output) is { } problem)
            {
                throw new FacemojiException($"{output}: {problem} (-o {modelPath}).");
            }
        }

        foreach (string teacher in options.Teachers ?? [])
        {
            if (Path.GetFullPath(teacher) == Path.GetFullPath(modelPath))
            {
                throw new FacemojiException($"--teacher {teacher}: is the model file this run writes (-o); copy it elsewhere and name the copy.");
            }
        }
    }

    /// <summary>Reads the model file of --init and checks that it holds the network the run trains.</summary>
    private static LoadedModelFile ReadInitialModel(string path, string architecture)
    {
        if (!File.Exists(path))
        {
            throw new FacemojiException($"--init {path}: no such model file.");
        }

        var file = ModelFile.Read(path);
        if (file.Header.Architecture != architecture)
        {
            throw new FacemojiException($"--init {path}: holds a {file.Header.Architecture} network, not the {architecture} this run trains (pass --arch {file.Header.Architecture}).");
        }

        return file;
    }

    private static void Validate(TrainingOptions options, FerDataset train, FerDataset validation)
    {
        CheckNumbers(options);

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
        private readonly DistillationTeachers? teachers;
        private readonly SeededRandom shuffleRandom;
        private readonly SeededRandom augmentRandom;
        private readonly IReadOnlyList<(string Name, Dropout Dropout)> dropouts;
        private readonly int batchSize;
        private readonly int stepsPerEpoch;
        private readonly int? interruptAfterEpoch;
        private readonly Stopwatch? budgetClock;
        private readonly Stopwatch sessionClock = new();
        private int completedEpochs;
        private TrainerState state = null!;
        private double secondsBeforeSession;

        // The time budget's measurements: seconds per optimizer step after the first step of this session (which
        // pays for warm-up), and seconds from the end of an epoch's steps to the start of the next (validation,
        // model, checkpoint, curves).
        private readonly StepTimes times = new();
        private CosineWarmupSchedule? schedule;

        public Run(TrainingOptions options, FerDataset train, FerDataset validation, string modelPath, ITrainingMonitor monitor, int? interruptAfterEpoch, Stopwatch? budgetClock)
        {
            this.budgetClock = budgetClock;
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
            if (options.Teachers is { Count: > 0 } teacherPaths)
            {
                teachers = new DistillationTeachers(options);
                monitor.Message($"distilling from {Plural(teachers.Count, "teacher")} ({string.Join(", ", teacherPaths)}): loss = {1 - options.DistillationWeight:0.###}·hard + {options.DistillationWeight:0.###}·T²·KL at T = {options.DistillationTemperature:0.###}; each step also runs every teacher forward");
            }
        }

        public int StepsPerEpoch => stepsPerEpoch;

        /// <summary>The teacher files and the checksums of the bytes the teachers were built from; null without teachers.</summary>
        public List<TeacherFile>? TeacherFiles => teachers?.Files;

        /// <summary>Refuses a resumed run whose teachers were built from other files than the checkpoint's (one changed after the early check).</summary>
        public void CheckTeachersUnchanged(IReadOnlyList<TeacherFile>? recorded, string checkpointPath) =>
            teachers?.CheckBuiltFrom(recorded, checkpointPath);

        /// <summary>Seconds counted against the time budget: those of earlier sessions, this command's before the run, and this session's.</summary>
        private double Elapsed => secondsBeforeSession + sessionClock.Elapsed.TotalSeconds;

        /// <summary>The steps the schedule is stretched over: the plan, or every epoch of Options.Epochs while a budget's plan is not made.</summary>
        private long PlannedTotalSteps =>
            state.PlannedSteps > 0 ? state.PlannedSteps
            : state.PlannedEpochs > 0 ? (long)state.PlannedEpochs * stepsPerEpoch
            : (long)options.Epochs * stepsPerEpoch;

        private int PlannedEpochCount => state.PlannedEpochs > 0 ? state.PlannedEpochs : options.Epochs;

        /// <summary>Steps done in the epoch in progress (0 between epochs).</summary>
        private int stepsIntoEpoch;

        /// <summary>Replaces the seeded initial weights (parameters and batch-norm statistics) with a model file's.</summary>
        public void StartFrom(string initialModelPath)
        {
            var file = ReadInitialModel(initialModelPath, options.Architecture);
            file.LoadInto(model);
            monitor.Message($"starting from the weights of {initialModelPath} ({file.Header.Architecture})");
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

        public TrainingResult Execute(TrainerState initial)
        {
            state = initial;
            secondsBeforeSession = state.ElapsedSeconds + (budgetClock?.Elapsed.TotalSeconds ?? 0);
            sessionClock.Start();
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
            bool deadlineReached = false;
            while (true)
            {
                if (optimizer.StepCount >= PlannedTotalSteps || deadlineReached)
                {
                    break;
                }

                if (completedEpochs == interruptAfterEpoch)
                {
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
                var (trainLossMean, trainAccuracy, trainSeconds, truncated) = TrainEpoch(epoch);
                deadlineReached = truncated;
                double epochEndStarted = Elapsed;
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
                    ElapsedSeconds = Elapsed,
                    ImagesSeen = state.ImagesSeen + (long)stepsPerEpoch * batchSize,
                    TrainingSeconds = state.TrainingSeconds + trainSeconds,
                };
                completedEpochs = epoch;

                if (improved)
                {
                    ModelFile.Save(modelPath, model, Header(state, report, record));
                }

                SaveCheckpoint(checkpointPath, state);
                TrainingCurvesChart.Write(state.History, $"{options.Architecture}, seed {options.Seed}", curvesPath);
                TrainingCurvesChart.Write(state.History, $"{options.Architecture}, seed {options.Seed}", TrainingResult.PngBeside(curvesPath));
                times.AddEpochEnd(Elapsed - epochEndStarted);
                if (times.Count == 0)
                {
                    // An epoch of one step: its time is all there is to plan from.
                    times.AssumeStep(trainSeconds / Math.Max(1, optimizer.StepCount));
                }

                if (deadlineReached)
                {
                    // The budget ended the run: what ran is the plan.
                    state = state with { PlannedSteps = optimizer.StepCount, PlannedEpochs = epoch };
                }
                else if (options.TimeBudget is not null)
                {
                    // Re-planned at every epoch's end from what this machine does now: it may have sped up or slowed down.
                    Plan(quiet: state.PlannedSteps > 0);
                }

                state = state with { ElapsedSeconds = Elapsed };
                monitor.EpochCompleted(record, PlannedEpochCount, improved);
            }

            if (deadlineReached)
            {
                monitor.Message($"time budget {options.TimeBudget!.Value:g}: {DurationText.Format(TimeSpan.FromSeconds(Elapsed))} spent, the next step and validation would pass it; the last epoch ended early");
            }

            if (state.BestEpoch == 0)
            {
                throw new FacemojiException($"{checkpointPath}: the run has no completed epoch to export.");
            }

            double imagesPerSecond = state.TrainingSeconds > 0 ? state.ImagesSeen / state.TrainingSeconds : 0;
            return new TrainingResult(state.History, state.BestEpoch, state.BestAccuracy, modelPath, checkpointPath, curvesPath, imagesPerSecond, stoppedEarly, PlannedEpochCount);
        }

        /// <summary>
        /// How many steps fit the time budget from here, with the measured step time and an epoch end (validation
        /// and saving) for every epoch the steps touch: as many whole epochs as fit, then a partial last epoch with
        /// the steps that still fit, aiming 0.7% under the budget so that noise stays inside it. At most Options.Epochs.
        /// Planned with the session's mean step time, in the budget's last tenth with the recent one when shorter.
        /// </summary>
        private void Plan(bool quiet)
        {
            double budget = options.TimeBudget!.Value.TotalSeconds;
            double remaining = budget * 0.993 - Elapsed;
            long done = optimizer.StepCount;
            int intoEpoch = stepsIntoEpoch;
            double stepSeconds = times.PlanSeconds(finalStretch: remaining < 0.1 * budget);
            double endSeconds = times.MeanEpochEndSeconds ?? EstimatedEpochEndSeconds();
            long maxMore = Math.Max(0, (long)options.Epochs * stepsPerEpoch - done);
            long more = 0;
            double spent = 0;
            int epochsMore = 0;
            for (int epochs = 1; ; epochs++)
            {
                long steps = (long)epochs * stepsPerEpoch - intoEpoch;
                double cost = steps * stepSeconds + epochs * endSeconds;
                if (cost > remaining || steps > maxMore)
                {
                    // A partial last epoch with the steps whose time and validation still fit.
                    long room = (long)Math.Floor((remaining - spent - endSeconds) / Math.Max(1e-6, stepSeconds));
                    long partialCap = epochs == 1 ? stepsPerEpoch - intoEpoch - 1 : stepsPerEpoch - 1;
                    long partial = Math.Clamp(room, 0, Math.Max(0, partialCap));
                    more += partial;
                    epochsMore += partial > 0 || (epochs == 1 && intoEpoch > 0) ? 1 : 0;
                    break;
                }

                more = steps;
                spent = cost;
                epochsMore = epochs;
            }

            if (more > maxMore)
            {
                more = maxMore;
                epochsMore = (int)Math.Ceiling((double)(intoEpoch + more) / stepsPerEpoch);
            }

            state = state with { PlannedSteps = done + more, PlannedEpochs = Math.Max(1, completedEpochs + epochsMore) };
            schedule = null;
            if (!quiet)
            {
                long total = done + more;
                string epochText = total % stepsPerEpoch == 0 ? Plural((int)(total / stepsPerEpoch), "epoch") : $"{Plural(state.PlannedEpochs, "epoch")}, the last one partial";
                monitor.Message($"time budget {DurationText.Format(options.TimeBudget.Value)}: {Plural(times.Count + 1, "step")} took {stepSeconds:F3} s each after the first, an epoch's end about {endSeconds:F1} s, {DurationText.Format(TimeSpan.FromSeconds(Elapsed))} already spent; so {total:N0} steps ({epochText}) are planned and the schedule is stretched over them");
            }
        }

        private static string Plural(int count, string noun) => $"{count} {noun}{(count == 1 ? string.Empty : "s")}";

        /// <summary>Validation and saving at an epoch's end: the latest measured, estimated before the first (a forward pass costs about a third of a training step, per image).</summary>
        private double EstimatedEpochEndSeconds() =>
            times.LastEpochEndSeconds ?? 0.5 + (times.RecentSeconds / batchSize * validation.Count / 3.0);

        private TimeSpan? Remaining()
        {
            if (times.Count == 0)
            {
                return null;
            }

            long stepsLeft = Math.Max(0, PlannedTotalSteps - optimizer.StepCount);
            int endsLeft = Math.Max(0, PlannedEpochCount - completedEpochs);
            return TimeSpan.FromSeconds(stepsLeft * times.RecentSeconds + endsLeft * EstimatedEpochEndSeconds());
        }

        private CosineWarmupSchedule Schedule()
        {
            long total = Math.Max(1, PlannedTotalSteps);
            if (schedule?.TotalSteps == total)
            {
                return schedule;
            }

            long warmup = Math.Min(total, (long)Math.Round(options.WarmupEpochs * stepsPerEpoch));
            if (options.TimeBudget is not null && state.PlannedSteps > 0)
            {
                // A budget that fits little more than the warm-up still needs time at the peak and the decay.
                warmup = Math.Min(warmup, total / 5);
            }

            schedule = new CosineWarmupSchedule(options.LearningRate, warmup, total, options.LearningRate * options.FinalLearningRateFraction);
            return schedule;
        }

        private (double Loss, double Accuracy, double Seconds, bool Truncated) TrainEpoch(int epoch)
        {
            // Before the budget has been measured the plan is Options.Epochs; warm-up does not depend on it.
            model.Train();
            var order = EpochOrder.Next(train, options.Sampling, shuffleRandom);
            var input = new Tensor(batchSize, 1, FerDataset.Side, FerDataset.Side);
            var targets = new int[batchSize];
            double lossSum = 0;
            long correct = 0;
            var clock = Stopwatch.StartNew();
            int steps = (int)Math.Clamp(PlannedTotalSteps - optimizer.StepCount, 1, stepsPerEpoch);
            int done = 0;
            bool truncated = false;
            double? deadline = options.TimeBudget?.TotalSeconds * 0.998;
            monitor.EpochStarted(epoch, PlannedEpochCount, steps);
            for (int step = 0; step < steps; step++)
            {
                if (step > 0 && optimizer.StepCount >= PlannedTotalSteps)
                {
                    break; // a plan made during this epoch ends the run inside it
                }

                if (deadline is { } end && times.Count > 0 && step > 0 && Elapsed + times.RecentSeconds + EstimatedEpochEndSeconds() > end)
                {
                    truncated = true;
                    break;
                }

                double stepStarted = Elapsed;
                var indices = order.AsSpan(step * batchSize, batchSize);
                augmenter.Augment(train, indices, augmentRandom, input);
                for (int i = 0; i < batchSize; i++)
                {
                    targets[i] = train.Labels[indices[i]];
                }

                var mix = BatchMixing.Apply(input, targets, options.MixupAlpha, options.CutMixAlpha, augmentRandom);
                optimizer.LearningRate = Schedule().LearningRateAt(optimizer.StepCount + 1);
                teachers?.SeeBatch(input); // the mixed batch the student sees
                var logits = model.Forward(input);
                float loss = mix is null ? trainLoss.Forward(logits, targets) : MixedLoss(logits, targets, mix);
                var gradient = mix is null ? trainLoss.Backward() : MixedGradient(mix);
                if (teachers is not null)
                {
                    loss = teachers.Blend(logits, loss, gradient);
                }

                if (!float.IsFinite(loss))
                {
                    throw new FacemojiException($"The training loss became {loss} at epoch {epoch}, step {step + 1}; lower the learning rate (--lr {options.LearningRate}).");
                }

                optimizer.ZeroGrad();
                model.Backward(gradient);
                if (options.GradientClipNorm > 0)
                {
                    GradientClipping.ClipByGlobalNorm(optimizer.Parameters, options.GradientClipNorm);
                }

                optimizer.Step();
                lossSum += loss;
                correct += CountCorrect(trainLoss.Probabilities.Span, targets, logits[1]);
                done = step + 1;
                stepsIntoEpoch = done;
                TimeStep(Elapsed - stepStarted, step + 1 == steps);
                monitor.StepCompleted(epoch, step + 1, steps, lossSum / (step + 1), (double)correct / ((step + 1) * batchSize));
                monitor.Timing(TimeSpan.FromSeconds(Elapsed), Remaining());
            }

            stepsIntoEpoch = 0;
            return (lossSum / done, (double)correct / (done * batchSize), clock.Elapsed.TotalSeconds, truncated);
        }

        /// <summary>
        /// Keeps the step time; with a time budget not yet planned, plans once a few steps are timed (about 2% of
        /// the budget, at most 20 s, at least 3 steps) or the epoch's steps run out: the plan comes from the first
        /// steps, not after a whole first epoch.
        /// </summary>
        private void TimeStep(double seconds, bool lastOfEpoch)
        {
            if (!times.AddStep(seconds))
            {
                return; // the session's first step pays for warm-up and is not counted
            }

            if (options.TimeBudget is { } budget && state.PlannedSteps == 0
                && ((times.Count >= 2 && times.TotalSeconds >= Math.Min(0.02 * budget.TotalSeconds, 20)) || times.Count >= 50 || lastOfEpoch))
            {
                Plan(quiet: false);
            }
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

            var header = new ModelHeader
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
            if (state.Teachers is { Count: > 0 } teacherFiles)
            {
                header = header with
                {
                    TrainingInfo = new Dictionary<string, string>(header.TrainingInfo)
                    {
                        ["teachers"] = string.Join("; ", teacherFiles),
                        ["distillation"] = $"weight {options.DistillationWeight}, temperature {options.DistillationTemperature}",
                    },
                };
            }

            return header;
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
