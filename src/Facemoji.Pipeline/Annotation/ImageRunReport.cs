namespace Facemoji.Pipeline.Annotation;

/// <summary>What <see cref="ImageRun"/> did: one result per photo, in the order given.</summary>
public sealed record ImageRunReport(IReadOnlyList<ImageResult> Results)
{
    /// <summary>The exit code of <c>facemoji image</c> when an input fails (the CLI's user-error code).</summary>
    public const int FailedExitCode = 1;

    public int Failed => Results.Count(r => r.Failed);

    /// <summary>0 when every photo was read (with or without faces); <see cref="FailedExitCode"/> if any input failed.</summary>
    public int ExitCode => Failed > 0 ? FailedExitCode : 0;
}
