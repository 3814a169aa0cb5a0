namespace Facemoji.Engine.Tests.Support;

/// <summary>
/// Bytes a piece of work allocates, measured so that the runtime's one-off work does not count: the least of five
/// measurements of three runs each. Counters also see work the runtime does now and then on the measuring thread
/// (tiered JIT compilation starting its background worker, the test runner); that noise only ever adds bytes, so
/// the minimum is the work's own cost, and a real per-call allocation still shows in every measurement.
/// </summary>
internal static class AllocationMeter
{
    /// <summary>Bytes per run of <paramref name="work"/> on the calling thread.</summary>
    public static long BytesPerRun(Action work) => BytesPerRun(work, GC.GetAllocatedBytesForCurrentThread);

    /// <summary>Bytes per run of <paramref name="work"/> as <paramref name="allocatedBytes"/> counts them.</summary>
    public static long BytesPerRun(Action work, Func<long> allocatedBytes)
    {
        const int runs = 3;
        long least = long.MaxValue;
        for (int measurement = 0; measurement < 5; measurement++)
        {
            long before = allocatedBytes();
            for (int i = 0; i < runs; i++)
            {
                work();
            }

            least = Math.Min(least, (allocatedBytes() - before) / runs);
        }

        return least;
    }
}
