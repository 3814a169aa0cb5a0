using Facemoji.Cli.Terminal;
using Facemoji.Training.Runs;
using Spectre.Console;

namespace Facemoji.Cli.Commands.Training;

/// <summary>
/// Shows a training run: on a terminal a Spectre progress bar for the run and one for the current epoch, each
/// with its elapsed time and ETA, and a line per finished epoch printed above them; when the output is redirected, plain lines (one per epoch and a
/// step line every tenth of an epoch).
/// </summary>
public sealed class ConsoleTrainingMonitor : ITrainingMonitor
{
    private ProgressContext? context;
    private ProgressTask? runTask;
    private ProgressTask? epochTask;
    private int lastPlainDecile = -1;
    private TimeSpan elapsed;
    private TimeSpan? remaining;

    public static bool Interactive => AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    /// <summary>Loading the data: a bar of its own (nothing when the output is not a terminal).</summary>
    public T Step<T>(string description, Func<Action<int, int>?, T> work) => ProgressBars.Run(description, work);

    /// <summary>Runs <paramref name="training"/> with the live display when the terminal allows it.</summary>
    public T Live<T>(Func<T> training)
    {
        if (!Interactive)
        {
            return training();
        }

        return AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                context = ctx;
                try
                {
                    return training();
                }
                finally
                {
                    context = null;
                }
            });
    }

    public void Message(string text)
    {
        if (context is null)
        {
            Console.WriteLine(text);
        }
        else
        {
            AnsiConsole.MarkupLine(Markup.Escape(text));
        }
    }

    public void EpochStarted(int epoch, int plannedEpochs, int steps)
    {
        lastPlainDecile = -1;
        if (context is null)
        {
            return;
        }

        if (runTask is null)
        {
            // A resumed run starts part-way.
            runTask = context.AddTask("run", maxValue: (double)plannedEpochs * steps);
            runTask.Value = (double)(epoch - 1) * steps;
        }

        runTask.MaxValue = (double)plannedEpochs * steps;
        runTask.Description = $"run (epoch {epoch}/{plannedEpochs})";
        epochTask = context.AddTask($"epoch {epoch}", maxValue: steps);
    }

    public void StepCompleted(int epoch, int step, int steps, double meanLoss, double meanAccuracy)
    {
        if (context is null)
        {
            int decile = step * 10 / steps;
            if (decile != lastPlainDecile && step < steps)
            {
                lastPlainDecile = decile;
                if (decile > 0)
                {
                    Console.WriteLine($"  epoch {epoch} step {step}/{steps}: loss {meanLoss:F4} accuracy {meanAccuracy:P1} | {TimeText()}");
                }
            }

            return;
        }

        epochTask!.Value = step;
        epochTask.Description = $"epoch {epoch}: loss {meanLoss:F4} acc {meanAccuracy:P1}";
        runTask!.Increment(1);
    }

    public void Timing(TimeSpan elapsed, TimeSpan? remaining)
    {
        this.elapsed = elapsed;
        this.remaining = remaining;
    }

    /// <summary>"elapsed 1m05s, ETA 2m55s": the run's clock (a time budget counts it) and the estimate of what is left.</summary>
    private string TimeText() =>
        $"elapsed {DurationText.Format(elapsed)}{(remaining is { } left ? $", ETA {DurationText.Format(left)}" : string.Empty)}";

    public void EpochCompleted(EpochRecord record, int plannedEpochs, bool improved)
    {
        string line = $"epoch {record.Epoch}/{plannedEpochs}: loss {record.TrainLoss:F4} acc {record.TrainAccuracy:P2} | val loss {record.ValidationLoss:F4} acc {record.ValidationAccuracy:P2} | lr {record.LearningRate:G3} | {record.Seconds:F1} s | {TimeText()}{(improved ? " | best, saved" : string.Empty)}";
        if (context is null)
        {
            Console.WriteLine(line);
            return;
        }

        // The line goes above the live bars (Spectre re-renders them below); the finished epoch's bar is hidden.
        AnsiConsole.MarkupLine(Markup.Escape(line));
        epochTask!.Value = epochTask.MaxValue;
        epochTask.StopTask();
    }
}
