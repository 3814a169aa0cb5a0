using Facemoji.Training.Runs;

namespace Facemoji.Training.Tests.Runs;

/// <summary>Keeps what a run reports, for assertions.</summary>
public sealed class RecordingMonitor : ITrainingMonitor
{
    public List<string> Messages { get; } = [];

    public List<EpochRecord> Epochs { get; } = [];

    public int Steps { get; private set; }

    /// <summary>Steps completed when the first "… are planned" message came.</summary>
    public int? StepsAtFirstPlan { get; private set; }

    public TimeSpan? LastElapsed { get; private set; }

    public TimeSpan? LastRemaining { get; private set; }

    public void Message(string text)
    {
        Messages.Add(text);
        if (StepsAtFirstPlan is null && text.Contains("are planned"))
        {
            StepsAtFirstPlan = Steps;
        }
    }

    public void Timing(TimeSpan elapsed, TimeSpan? remaining)
    {
        LastElapsed = elapsed;
        LastRemaining = remaining ?? LastRemaining;
    }

    public void EpochStarted(int epoch, int plannedEpochs, int steps)
    {
    }

    public void StepCompleted(int epoch, int step, int steps, double meanLoss, double meanAccuracy) => Steps++;

    public void EpochCompleted(EpochRecord record, int plannedEpochs, bool improved) => Epochs.Add(record);
}
