namespace Facemoji.Training.Runs;

/// <summary>The trainer's own part of a checkpoint (stored as JSON in TrainingProgress.TrainerJson): the settings, the plan and the history.</summary>
internal sealed record TrainerState
{
    public required TrainingOptions Options { get; init; }

    /// <summary>Epochs the schedule is stretched over (the budget's plan, or Options.Epochs); 0 before the first epoch has been timed.</summary>
    public int PlannedEpochs { get; init; }

    /// <summary>Optimizer steps the schedule is stretched over; 0 while a time budget's plan is not made yet (older checkpoints: PlannedEpochs whole epochs).</summary>
    public long PlannedSteps { get; init; }

    public List<EpochRecord> History { get; init; } = [];

    public int BestEpoch { get; init; }

    public double BestAccuracy { get; init; } = -1;

    public int EpochsWithoutImprovement { get; init; }

    /// <summary>Wall-clock seconds spent in epochs so far, counted against the time budget across resumes.</summary>
    public double ElapsedSeconds { get; init; }

    public long ImagesSeen { get; init; }

    public double TrainingSeconds { get; init; }

    /// <summary>Content hashes of the training and validation sets: --resume must see the same data to continue exactly.</summary>
    public string TrainFingerprint { get; init; } = string.Empty;

    public string ValidationFingerprint { get; init; } = string.Empty;

    /// <summary>The teacher files and their checksums (null: no distillation): --resume refuses changed teachers.</summary>
    public List<TeacherFile>? Teachers { get; init; }
}
