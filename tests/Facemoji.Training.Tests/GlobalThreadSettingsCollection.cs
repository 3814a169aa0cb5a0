
namespace Facemoji.Training.Tests;

/// <summary>
/// Tests that change <c>ParallelRows.MaxDegreeOfParallelism</c>, a process-wide setting, run alone: a training test
/// running beside them would split its kernels differently mid-run, and bit-exact checks (resume, same seed) would
/// see float sums taken in another order.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalThreadSettingsCollection
{
    public const string Name = "Global thread settings";

    /// <summary>Runs <paramref name="action"/> with the kernels on one thread, then restores the thread count.</summary>
    public static void OnOneThread(Action action)
    {
        int saved = ParallelRows.MaxDegreeOfParallelism;
        try
        {
            ParallelRows.MaxDegreeOfParallelism = 1;
            action();
        }
        finally
        {
            ParallelRows.MaxDegreeOfParallelism = saved;
        }
    }
}
