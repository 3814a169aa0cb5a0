namespace Facemoji.Benchmarks.Web;

/// <summary>
/// What a load run saw: frames answered, dropped (due while one was in flight) and failed; round trip and
/// server time per frame; the server's resident memory at the start, the end and its peak (from /api/health).
/// </summary>
public sealed record WebLoadResult(
    WebLoadSettings Settings,
    long Answered,
    long Dropped,
    long Errors,
    IReadOnlyList<string> ErrorSamples,
    Percentiles RoundTripMs,
    Percentiles ServerMs,
    long RssStartBytes,
    long RssEndBytes,
    long RssPeakBytes,
    IReadOnlyList<(double Seconds, long RssBytes)> RssSamples)
{
    public double AnsweredPerSecond => Answered / Settings.Duration.TotalSeconds;
}
