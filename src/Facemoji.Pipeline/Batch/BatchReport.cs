namespace Facemoji.Pipeline.Batch;

/// <summary>What a batch run did: its shard's inputs, those skipped as already done, and the lines it produced now.</summary>
public sealed record BatchReport(ShardSpec Shard, int AllInputs, int ShardInputs, int Skipped, IReadOnlyList<BatchLine> Lines)
{
    public int Failed => Lines.Count(l => l.Failed);

    /// <summary>0 when every input of the shard ran; 1 (the CLI's user-error code) if any failed.</summary>
    public int ExitCode => Failed > 0 ? Annotation.ImageRunReport.FailedExitCode : 0;
}
