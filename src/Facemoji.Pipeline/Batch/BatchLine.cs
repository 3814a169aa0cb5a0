namespace Facemoji.Pipeline.Batch;

/// <summary>The result of one input: its JSON line, whether it failed (and why), and the annotated copy written, if any.</summary>
public sealed record BatchLine(BatchInput Input, string Json, string? Error, string? Written)
{
    public bool Failed => Error is not null;
}
