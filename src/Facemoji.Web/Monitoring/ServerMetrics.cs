using Prometheus;

namespace Facemoji.Web.Monitoring;

/// <summary>
/// What <c>/metrics</c> reports, in the Prometheus text format: HTTP requests by route and status with a latency
/// histogram, frames and photos analysed, faces found, analysis errors, live sockets open and opened, and the
/// process's memory. One registry per server, so several servers in one process (the tests) never share counts.
/// </summary>
internal sealed class ServerMetrics
{
    /// <summary>Latency buckets from 1 ms to about 16 s: a live frame takes tens of milliseconds, a big photo seconds.</summary>
    private static readonly double[] LatencyBuckets = Histogram.ExponentialBuckets(0.001, 2, 15);

    private readonly CollectorRegistry registry = Metrics.NewCustomRegistry();
    private readonly Counter requests;
    private readonly Histogram requestSeconds;
    private readonly Counter analysed;
    private readonly Counter faces;
    private readonly Counter analysisErrors;
    private readonly Histogram analysisSeconds;
    private readonly Counter socketsOpened;

    public ServerMetrics(Func<int> openSockets)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        requests = factory.CreateCounter("facemoji_http_requests_total", "HTTP requests answered, by method, route and status code.",
            new CounterConfiguration { LabelNames = ["method", "route", "status"] });
        requestSeconds = factory.CreateHistogram("facemoji_http_request_duration_seconds", "Time to answer an HTTP request (the WebSocket route left out), by route.",
            new HistogramConfiguration { LabelNames = ["route"], Buckets = LatencyBuckets });
        analysed = factory.CreateCounter("facemoji_frames_analysed_total", "Pictures analysed: photos posted to /api/analyze (http) and camera frames (live).",
            new CounterConfiguration { LabelNames = ["source"] });
        faces = factory.CreateCounter("facemoji_faces_total", "Faces found in the analysed pictures (live: faces shown, after tracking).",
            new CounterConfiguration { LabelNames = ["source"] });
        analysisErrors = factory.CreateCounter("facemoji_analysis_errors_total", "Pictures that could not be analysed (not an image, too large, unreadable).",
            new CounterConfiguration { LabelNames = ["source"] });
        analysisSeconds = factory.CreateHistogram("facemoji_analysis_duration_seconds", "Time to decode and analyse one picture, by source.",
            new HistogramConfiguration { LabelNames = ["source"], Buckets = LatencyBuckets });
        socketsOpened = factory.CreateCounter("facemoji_live_sockets_opened_total", "Live camera sockets accepted.");
        var socketsOpen = factory.CreateGauge("facemoji_live_sockets", "Live camera sockets open now.");
        var residentBytes = factory.CreateGauge("facemoji_process_resident_memory_bytes", "The server process's resident memory.");
        var managedBytes = factory.CreateGauge("facemoji_process_managed_heap_bytes", "Bytes in the .NET managed heap after the last collection.");
        registry.AddBeforeCollectCallback(() =>
        {
            socketsOpen.Set(openSockets());
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            residentBytes.Set(process.WorkingSet64);
            managedBytes.Set(GC.GetGCMemoryInfo().HeapSizeBytes);
        });
    }

    /// <summary>The media type of the text format, version 0.0.4.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public void Request(string method, string route, int status, TimeSpan? elapsed)
    {
        requests.WithLabels(method, route, status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
        if (elapsed is { } time)
        {
            requestSeconds.WithLabels(route).Observe(time.TotalSeconds);
        }
    }

    public void Analysed(string source, int faceCount, TimeSpan elapsed)
    {
        analysed.WithLabels(source).Inc();
        faces.WithLabels(source).Inc(faceCount);
        analysisSeconds.WithLabels(source).Observe(elapsed.TotalSeconds);
    }

    public void AnalysisFailed(string source) => analysisErrors.WithLabels(source).Inc();

    public void SocketOpened() => socketsOpened.Inc();

    public Task WriteAsync(Stream stream, CancellationToken cancel) => registry.CollectAndExportAsTextAsync(stream, cancel);
}
