using Facemoji.Training.Augmentation;

namespace Facemoji.Training.Runs;

/// <summary>Everything that defines a training run. A checkpoint stores these, and --resume continues with the stored ones.</summary>
public sealed record TrainingOptions
{
    public string Architecture { get; init; } = "bench-vgg8";

    /// <summary>
    /// A model file (.fmj) of the same architecture whose weights the run starts from instead of a seeded
    /// initialisation: fine-tuning, or a second cosine cycle after a finished run. Null: a fresh network.
    /// </summary>
    public string? InitialModel { get; init; }

    /// <summary>
    /// Model files (.fmj, any architecture with the run's classes and inputs) to distil from: their mean softened
    /// probabilities are soft targets beside the labels (<see cref="DistillationTeachers"/>). Null: no distillation.
    /// </summary>
    public IReadOnlyList<string>? Teachers { get; init; }

    /// <summary>
    /// α, the soft loss's share: loss = (1−α)·hard + α·T²·KL. 0.9 follows Hinton et al. (a "considerably lower
    /// weight" on the hard labels) and the common KD baseline (α 0.9, T 4).
    /// </summary>
    public double DistillationWeight { get; init; } = 0.9;

    /// <summary>T, the softening of the teachers' and the student's logits (1: none).</summary>
    public double DistillationTemperature { get; init; } = 4;

    /// <summary>The most epochs to run; a <see cref="TimeBudget"/> can plan fewer.</summary>
    public int Epochs { get; init; } = 40;

    public int BatchSize { get; init; } = 64;

    /// <summary>Peak learning rate of the warm-up + cosine schedule.</summary>
    public double LearningRate { get; init; } = 0.05;

    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    public double Momentum { get; init; } = 0.9;

    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>Linear warm-up length, in epochs (at most the whole run).</summary>
    public double WarmupEpochs { get; init; } = 1;

    /// <summary>The cosine ends at LearningRate x this.</summary>
    public double FinalLearningRateFraction { get; init; } = 0.01;

    /// <summary>Wall-clock budget for the whole run: after the first epoch the trainer measures its duration and plans as many epochs as fit, with the cosine schedule stretched over them.</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>
    /// The largest batch a run, an evaluation or a calibration takes: a batch is held whole in every layer's
    /// activations, so 4096 already takes gigabytes, and much larger ones overflow the engine's 32-bit tensor sizes
    /// (evaluate --batch-size 100000000 was an internal error).
    /// </summary>
    public const int MaxBatchSize = 4096;

    public ulong Seed { get; init; } = 1;

    public float LabelSmoothing { get; init; } = 0.1f;

    public ClassBalance Balance { get; init; } = ClassBalance.SqrtInverse;

    /// <summary>Stop after this many epochs without a better validation accuracy; 0 turns early stopping off.</summary>
    public int EarlyStoppingPatience { get; init; } = 8;

    /// <summary>Global gradient-norm clip; 0 turns it off.</summary>
    public double GradientClipNorm { get; init; } = 5;

    public AugmentationOptions Augmentation { get; init; } = new();

    /// <summary>How each epoch picks its images: shuffled once each, or class-balanced with replacement (<see cref="EpochOrder"/>).</summary>
    public SamplingKind Sampling { get; init; } = SamplingKind.Shuffle;

    /// <summary>Mixup's Beta(α, α); 0 turns it off (<see cref="BatchMixing"/>).</summary>
    public double MixupAlpha { get; init; }

    /// <summary>CutMix's Beta(α, α); 0 turns it off.</summary>
    public double CutMixAlpha { get; init; }

    public Normalization Normalization { get; init; } = Normalization.Fer2013;

    /// <summary>Validation batch size (no gradients, so it can be larger).</summary>
    public int EvaluationBatchSize { get; init; } = 256;
}
