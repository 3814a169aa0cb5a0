namespace Facemoji.Emoji.Packs;

/// <summary>One thing wrong with a user pack: where (a file or a pack.json field) and what.</summary>
public sealed record PackProblem(PackProblemKind Kind, string Where, string Message)
{
    public override string ToString() => $"{Where}: {Message}";
}
