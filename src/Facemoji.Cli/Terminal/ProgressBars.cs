using Spectre.Console;

namespace Facemoji.Cli.Terminal;

/// <summary>
/// Draws the progress a library reports through its callback (done, total) as a Spectre progress bar with the
/// percentage and the time left, on standard error, and only when that is a terminal: into a pipe or a file
/// nothing is drawn and the library gets no callback, so `--json` output and logs stay plain.
/// </summary>
public static class ProgressBars
{
    /// <summary>Runs <paramref name="work"/> with a bar that its (done, total) callback moves; the callback is null when no bar is drawn.</summary>
    public static T Run<T>(string description, Func<Action<int, int>?, T> work, IAnsiConsole? console = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        console ??= CliConsole.Error;
        if (!console.Profile.Capabilities.Interactive)
        {
            return work(null);
        }

        T result = default!;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: 1);
                var gate = new object();
                result = work((done, total) =>
                {
                    // Libraries report from their worker threads; a later, smaller count never moves the bar back.
                    lock (gate)
                    {
                        task.MaxValue = Math.Max(1, total);
                        task.Value = Math.Max(task.Value, Math.Min(done, total));
                    }
                });
                task.Value = task.MaxValue;
            });
        return result;
    }

    /// <summary>As <see cref="Run{T}(string, Func{Action{int, int}?, T}, IAnsiConsole?)"/> for a library that reports only how many of <paramref name="total"/> are done.</summary>
    public static T Run<T>(string description, int total, Func<Action<int>?, T> work, IAnsiConsole? console = null) =>
        Run(description, report => work(report is null ? null : done => report(done, total)), console);
}
