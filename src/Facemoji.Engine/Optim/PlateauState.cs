namespace Facemoji.Engine.Optim;

/// <summary>The mutable part of <see cref="ReduceLearningRateOnPlateau"/>, saved in a training checkpoint.</summary>
public sealed record PlateauState(double LearningRate, double Best, int BadEpochs, int CooldownCounter, long Epochs);
