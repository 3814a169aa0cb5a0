using System.Collections.Concurrent;
using Facemoji.Pipeline;

namespace Facemoji.Web.Analysis;

/// <summary>
/// The pipeline's analyzers for the server. Still images (HTTP) borrow a <see cref="FaceAnalyzer"/> from a pool of
/// at most <c>capacity</c> (they are not thread-safe); each camera socket gets its own <see cref="VideoFaceAnalyzer"/>
/// (tracking and smoothing state). The model and cascade are read once per process, so creating one is cheap.
/// </summary>
internal sealed class AnalyzerPool
{
    // BlazeFace's score threshold at the page's high and low sensitivity (LiveOptions).
    private const double HighSensitivityScore = 0.5;
    private const double LowSensitivityScore = 0.75;

    private readonly AnalyzerOptions options;
    private readonly SemaphoreSlim slots;
    private readonly ConcurrentBag<FaceAnalyzer> idle = [];
    private int running;

    public AnalyzerPool(AnalyzerOptions? options, int capacity)
    {
        this.options = options ?? new AnalyzerOptions();
        slots = new SemaphoreSlim(capacity, capacity);
        // Load now, so a missing model or cascade stops `facemoji serve` at start with its message, not at the first frame.
        FaceAnalyzer first = FaceAnalyzer.Create(this.options);
        // The detector by name (haar, lbp, blazeface...), and a cascade file given in its place by its file name.
        string cascade = this.options.CascadePath is { } path ? $" ({Path.GetFileName(path)})" : string.Empty;
        Description = $"{first.Classifier.Header.Architecture} model; {first.Detector.Name} detector{cascade}";
        idle.Add(first);
    }

    /// <summary>The model and detector, for /api/health.</summary>
    public string Description { get; }

    /// <summary>A tracker for one camera.</summary>
    public VideoFaceAnalyzer CreateLive() => new(FaceAnalyzer.Create(options));

    /// <summary>A tracker for one camera at the page's sensitivity (<see cref="LiveOptions"/>).</summary>
    public VideoFaceAnalyzer CreateLive(string? sensitivity) => new(FaceAnalyzer.Create(LiveOptions(options, sensitivity)));

    /// <summary>
    /// The settings of a camera at the page's sensitivity: <c>normal</c> is the CLI's detector settings; <c>high</c>
    /// accepts weaker and smaller detections (more faces, more false ones); <c>low</c> only strong ones. BlazeFace
    /// keeps faces from score 0.5 (MediaPipe's own threshold) at high and from 0.75 at low (0.6 normally); the
    /// cascades need fewer or more neighbours, and at high take faces from 24 px.
    /// </summary>
    internal static AnalyzerOptions LiveOptions(AnalyzerOptions options, string? sensitivity)
    {
        var detection = options.Detection ?? Vision.Detection.DetectionOptions.Default;
        return sensitivity?.ToLowerInvariant() switch
        {
            "high" => options with
            {
                Detection = detection with { MinNeighbors = Math.Max(1, detection.MinNeighbors - 2), MinWidth = Math.Min(detection.MinWidth, 24), MinHeight = Math.Min(detection.MinHeight, 24) },
                MinFaceScore = Math.Min(options.MinFaceScore ?? HighSensitivityScore, HighSensitivityScore),
            },
            "low" => options with
            {
                Detection = detection with { MinNeighbors = detection.MinNeighbors + 3 },
                MinFaceScore = Math.Max(options.MinFaceScore ?? LowSensitivityScore, LowSensitivityScore),
            },
            _ => options,
        };
    }


    /// <summary>Runs <paramref name="work"/> on a borrowed analyzer, off the request thread.</summary>
    public async Task<T> RunAsync<T>(Func<FaceAnalyzer, T> work, CancellationToken cancel)
    {
        await slots.WaitAsync(cancel);
        try
        {
            if (!idle.TryTake(out FaceAnalyzer? analyzer))
            {
                analyzer = FaceAnalyzer.Create(options);
            }

            // With as many analyses in flight as cores, every core already has one: an analysis that also spread its
            // detector and network loops over all cores would only add hand-offs and spin-waits between analyses that
            // compete for the same cores. Alone, an image still gets every core.
            bool inline = Interlocked.Increment(ref running) >= Environment.ProcessorCount;
            try
            {
                // A dedicated thread, not a thread-pool one: an analysis is tens of milliseconds of CPU (and the
                // detector's own parallel loops wait inside it); on the pool, a few of them at once starve Kestrel's
                // I/O callbacks on a small machine, and requests queue while cores sit idle.
                return await Task.Factory.StartNew(
                    () => inline ? ParallelRows.Inline(() => work(analyzer)) : work(analyzer),
                    cancel,
                    TaskCreationOptions.LongRunning,
                    TaskScheduler.Default);
            }
            finally
            {
                Interlocked.Decrement(ref running);
                idle.Add(analyzer);
            }
        }
        finally
        {
            slots.Release();
        }
    }
}
