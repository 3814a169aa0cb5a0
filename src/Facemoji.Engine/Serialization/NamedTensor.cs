using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Serialization;

/// <summary>A tensor with the dotted name it has in a state dictionary ("features.0.weight", "exp_avg.3").</summary>
public sealed record NamedTensor(string Name, Tensor Value);
