using System.Collections.Concurrent;

namespace Facemoji.Web.Analysis;

/// <summary>
/// Still-image analyzers for the HTTP API: at most <c>capacity</c> exist and each serves one request at a
/// time (they are not thread-safe). Created on first need, kept for the next request.
/// </summary>
internal sealed class AnalyzerPool
{
    private readonly IAnalyzerFactory factory;
    private readonly SemaphoreSlim slots;
    private readonly ConcurrentBag<IStillAnalyzer> idle = [];

    public AnalyzerPool(IAnalyzerFactory factory, int capacity)
    {
        this.factory = factory;
        slots = new SemaphoreSlim(capacity, capacity);
    }

    /// <summary>Runs <paramref name="work"/> on a borrowed analyzer, off the request thread.</summary>
    public async Task<T> RunAsync<T>(Func<IStillAnalyzer, T> work, CancellationToken cancel)
    {
        await slots.WaitAsync(cancel);
        try
        {
            if (!idle.TryTake(out IStillAnalyzer? analyzer))
            {
                analyzer = factory.CreateStill();
            }

            try
            {
                return await Task.Run(() => work(analyzer), cancel);
            }
            finally
            {
                idle.Add(analyzer);
            }
        }
        finally
        {
            slots.Release();
        }
    }
}
