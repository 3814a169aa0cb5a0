using Facemoji.Training.Runs;

namespace Facemoji.Cli.Terminal;

/// <summary>A library run's long steps as <see cref="ProgressBars"/> on a terminal, and nothing into pipes.</summary>
public sealed class TerminalSteps : IStepProgress
{
    public T Step<T>(string description, Func<Action<int, int>?, T> work) => ProgressBars.Run(description, work);
}
