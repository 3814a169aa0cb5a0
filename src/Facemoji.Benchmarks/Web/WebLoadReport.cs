namespace Facemoji.Benchmarks.Web;

/// <summary>A load run's result, whether the server ran in this process, and the exit code: 1 when any frame failed.</summary>
public sealed record WebLoadReport(WebLoadResult Result, bool ServerInProcess)
{
    public int ExitCode => Result.Errors == 0 ? 0 : 1;
}
