namespace Facemoji.Training.Runs;

/// <summary>One epoch of a training run: mean training loss and accuracy (on augmented images), validation loss and accuracy, the learning rate at its end, and its duration.</summary>
public sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double ValidationLoss,
    double ValidationAccuracy,
    double LearningRate,
    double Seconds);
