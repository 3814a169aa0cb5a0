namespace Facemoji.Engine.Serialization;

/// <summary>The JSON header of a training checkpoint: the model's header, the optimizer's scalars and the trainer's progress.</summary>
internal sealed record CheckpointHeader(ModelHeader Model, CheckpointOptimizer Optimizer, TrainingProgress Progress);
