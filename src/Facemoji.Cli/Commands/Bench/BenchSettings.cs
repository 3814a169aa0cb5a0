namespace Facemoji.Cli.Commands.Bench;

/// <summary>The common bench options as read: <c>--threads</c> (null when not given), <c>--quick</c>, <c>--json</c>.</summary>
public sealed record BenchSettings(int? Threads, bool Quick, bool Json)
{
    /// <summary>The thread counts to compare: only <c>--threads</c> when given, else 1 and every core.</summary>
    public IReadOnlyList<int> ThreadCounts => Threads is int fixedCount ? [fixedCount] : [.. new[] { 1, Environment.ProcessorCount }.Distinct()];
}
