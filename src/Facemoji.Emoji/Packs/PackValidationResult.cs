namespace Facemoji.Emoji.Packs;

/// <summary>What <see cref="PackValidator.Validate"/> found: the manifest (when pack.json could be read) and every problem.</summary>
public sealed record PackValidationResult(PackManifest? Manifest, IReadOnlyList<PackProblem> Problems)
{
    /// <summary>True when the pack can be used: a manifest and no problems.</summary>
    public bool IsValid => Manifest is not null && Problems.Count == 0;
}
