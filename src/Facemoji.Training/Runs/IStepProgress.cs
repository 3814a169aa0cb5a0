namespace Facemoji.Training.Runs;

/// <summary>
/// Shows the progress of a long step of a run (loading a dataset, predicting a split): the CLI draws a bar with the
/// time left on a terminal; <see cref="None"/> shows nothing. The step reports (done, total) from any thread, or is
/// given null when nobody is watching.
/// </summary>
public interface IStepProgress
{
    /// <summary>Shows nothing: the work gets no progress callback.</summary>
    static IStepProgress None { get; } = new Silent();

    T Step<T>(string description, Func<Action<int, int>?, T> work);

    private sealed class Silent : IStepProgress
    {
        public T Step<T>(string description, Func<Action<int, int>?, T> work) => work(null);
    }
}
