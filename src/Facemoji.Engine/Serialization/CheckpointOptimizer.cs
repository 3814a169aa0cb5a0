namespace Facemoji.Engine.Serialization;

/// <summary>The scalar part of an optimizer state; its buffers are stored as tensors named "optimizer/slot.index".</summary>
internal sealed record CheckpointOptimizer(string Algorithm, long StepCount, double LearningRate);
