using System.Runtime;

namespace Facemoji.Web.Analysis;

/// <summary>
/// The server-wide budget of decoded pixels in flight (<see cref="ServerLimits.MaxPixelsInFlight"/>). An image reserves
/// its pixels, read from the header, before it is decoded, and waits while they do not fit; requests are served in
/// arrival order so a large image is not starved by small ones. An image larger than the whole budget runs when
/// nothing else is in flight. After a large image the managed heap is compacted, so its memory goes back to the
/// system instead of staying with the process.
/// </summary>
internal sealed class PixelBudget
{
    /// <summary>Images from this size on are "large": when the last of them leaves, the heap is compacted.</summary>
    public const long LargeImagePixels = 16_000_000;

    private readonly long capacity;
    private readonly Lock gate = new();
    private readonly SemaphoreSlim turn = new(1, 1);
    private readonly SemaphoreSlim released = new(0, int.MaxValue);
    private long inFlight;
    private int largeInFlight;

    public PixelBudget(long capacity) => this.capacity = Math.Max(1, capacity);

    /// <summary>Pixels reserved right now (for /api/health and the tests).</summary>
    public long InFlight
    {
        get
        {
            lock (gate)
            {
                return inFlight;
            }
        }
    }

    /// <summary>Reserves <paramref name="pixels"/>; dispose the result to give them back.</summary>
    public async Task<IDisposable> ReserveAsync(long pixels, CancellationToken cancel)
    {
        pixels = Math.Max(1, pixels);
        await turn.WaitAsync(cancel);
        try
        {
            while (true)
            {
                lock (gate)
                {
                    if (inFlight == 0 || inFlight + pixels <= capacity)
                    {
                        inFlight += pixels;
                        if (pixels >= LargeImagePixels)
                        {
                            largeInFlight++;
                        }

                        return new Reservation(this, pixels);
                    }
                }

                await released.WaitAsync(cancel);
            }
        }
        finally
        {
            turn.Release();
        }
    }

    private void Release(long pixels)
    {
        bool compact;
        lock (gate)
        {
            inFlight -= pixels;
            compact = pixels >= LargeImagePixels && --largeInFlight == 0;
        }

        released.Release();
        if (compact)
        {
            // The large buffers are garbage now; without a compacting collection the heap keeps the pages. A
            // second pass a little later catches what the request still held while it answered.
            CompactHeap();
            _ = Task.Delay(TimeSpan.FromSeconds(2)).ContinueWith(_ =>
            {
                if (Volatile.Read(ref largeInFlight) == 0)
                {
                    CompactHeap();
                }
            }, TaskScheduler.Default);
        }
    }

    private static void CompactHeap()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    private sealed class Reservation(PixelBudget budget, long pixels) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                budget.Release(pixels);
            }
        }
    }
}
