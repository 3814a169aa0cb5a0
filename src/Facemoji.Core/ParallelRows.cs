namespace Facemoji.Core;

/// <summary>
/// The one parallel helper of the project: splits [0, count) into contiguous ranges and runs a struct
/// operation over them on up to <see cref="MaxDegreeOfParallelism"/> threads. Work below
/// <c>minimumPerThread</c> items a thread runs inline, because waking a pool thread costs microseconds.
/// A loop started from inside another loop's body also runs inline (e.g. a GEMM inside a convolution that
/// already spreads images over the threads): every thread is busy already, and nesting would only add
/// hand-off costs and oversubscribe the cores.
/// </summary>
public static class ParallelRows
{
    private static int maxDegree = Environment.ProcessorCount;

    [ThreadStatic]
    private static int nesting;

    /// <summary>Whether the calling thread is running the body of a parallel loop (nested loops run inline).</summary>
    public static bool IsInsideParallelLoop => nesting > 0;

    /// <summary>Threads the engine may use; 1 makes everything single-threaded (used by batch-1 inference benchmarks).</summary>
    public static int MaxDegreeOfParallelism
    {
        get => maxDegree;
        set => maxDegree = Math.Max(1, value);
    }

    /// <summary>
    /// Runs <paramref name="work"/> with every parallel loop inside it inline on the calling thread, as if it were
    /// already a loop body. For a caller that runs many independent jobs at once (a server with as many analyses in
    /// flight as there are cores): each job spreading over all cores again would only add hand-off and wait costs.
    /// </summary>
    public static T Inline<T>(Func<T> work)
    {
        nesting++;
        try
        {
            return work();
        }
        finally
        {
            nesting--;
        }
    }

    public static void For<TOperation>(int count, int minimumPerThread, in TOperation operation)
        where TOperation : struct, IRowOperation
    {
        if (count <= 0)
        {
            return;
        }

        int threads = Math.Min(maxDegree, Math.Max(1, count / Math.Max(1, minimumPerThread)));
        if (threads <= 1 || nesting > 0)
        {
            operation.Invoke(0, count);
            return;
        }

        var runner = new Runner<TOperation>(operation, count, threads);
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, runner.Run);
    }

    private sealed class Runner<TOperation>(TOperation operation, int count, int threads)
        where TOperation : struct, IRowOperation
    {
        public void Run(int index)
        {
            int start = (int)((long)count * index / threads);
            int end = (int)((long)count * (index + 1) / threads);
            if (end > start)
            {
                nesting++;
                try
                {
                    operation.Invoke(start, end);
                }
                finally
                {
                    nesting--;
                }
            }
        }
    }
}
