namespace Facemoji.Pipeline.Annotation;

/// <summary>What a video run did and where its time went, stage by stage.</summary>
public sealed record VideoRunReport(
    int Frames,
    int FacesSeen,
    int Tracks,
    TimeSpan Total,
    TimeSpan Decode,
    TimeSpan Detect,
    TimeSpan Classify,
    TimeSpan Draw,
    TimeSpan Encode)
{
    /// <summary>What went wrong without stopping the run (a truncated file), one line each, for standard error.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public double FramesPerSecond => Frames / Math.Max(1e-9, Total.TotalSeconds);
}
