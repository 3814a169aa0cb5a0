using Facemoji.Engine.Serialization;

namespace Facemoji.Engine.Optim;

/// <summary>
/// Everything an optimizer needs to continue exactly where it stopped: its algorithm name (checked on restore),
/// the number of steps taken, the learning rate, and its per-parameter buffers named "slot.index"
/// ("momentum.0", "exp_avg.3"). The buffers are copies, not views of the live optimizer.
/// </summary>
public sealed record OptimizerState(string Algorithm, long StepCount, double LearningRate, IReadOnlyList<NamedTensor> Buffers);
