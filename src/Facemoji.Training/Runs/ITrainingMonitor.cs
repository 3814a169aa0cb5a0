namespace Facemoji.Training.Runs;

/// <summary>What a training run reports as it goes: the CLI draws a progress bar and prints a line per epoch from these.</summary>
public interface ITrainingMonitor : IStepProgress
{
    /// <summary>A line of information (settings, the plan fitted to the time budget, early stopping).</summary>
    void Message(string text);

    void EpochStarted(int epoch, int plannedEpochs, int steps);

    /// <summary>After each optimizer step: the running mean loss and accuracy of this epoch so far.</summary>
    void StepCompleted(int epoch, int step, int steps, double meanLoss, double meanAccuracy);

    void EpochCompleted(EpochRecord record, int plannedEpochs, bool improved);

    /// <summary>After each step: the time the run has spent (counted against a time budget) and its estimated remainder, when known.</summary>
    void Timing(TimeSpan elapsed, TimeSpan? remaining)
    {
    }

    /// <summary>Runs the training itself (<see cref="TrainingRun"/> calls it once), so a monitor can keep a live display up for it.</summary>
    T Live<T>(Func<T> training) => training();

    /// <summary>Loading the data shows no progress unless the monitor draws it.</summary>
    T IStepProgress.Step<T>(string description, Func<Action<int, int>?, T> work) => work(null);
}
