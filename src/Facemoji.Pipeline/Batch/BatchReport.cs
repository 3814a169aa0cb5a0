namespace Facemoji.Pipeline.Batch;

/// <summary>What a batch run did: its shard's inputs, those skipped as already done, and the lines it produced now.</summary>
public sealed record BatchReport(ShardSpec Shard, int AllInputs, int ShardInputs, int Skipped, IReadOnlyList<BatchLine> Lines)
{
    public int Failed => Lines.Count(l => l.Failed);
}
