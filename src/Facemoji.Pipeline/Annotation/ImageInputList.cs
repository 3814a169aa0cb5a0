namespace Facemoji.Pipeline.Annotation;

/// <summary>The image files found in a command line's inputs, and what the folders held that was left out.</summary>
/// <param name="Files">The image files, in order.</param>
/// <param name="SkippedFiles">Files in the folders that are not PNG, JPEG, WebP, GIF or BMP.</param>
/// <param name="SkippedFolders">Sub-folders not entered (without --recursive).</param>
/// <param name="SkippedLinkedFolders">Links to folders not followed (with --recursive).</param>
public sealed record ImageInputList(IReadOnlyList<string> Files, int SkippedFiles, int SkippedFolders, int SkippedLinkedFolders = 0)
{
    /// <summary>"skipped 2 files of other formats and 1 sub-folder (--recursive enters sub-folders)", or null when nothing was skipped.</summary>
    public string? DescribeSkipped()
    {
        var parts = new List<string>();
        if (SkippedFiles > 0)
        {
            parts.Add($"{SkippedFiles} file{(SkippedFiles == 1 ? string.Empty : "s")} of other formats");
        }

        if (SkippedFolders > 0)
        {
            parts.Add($"{SkippedFolders} sub-folder{(SkippedFolders == 1 ? string.Empty : "s")} (--recursive enters them)");
        }

        if (SkippedLinkedFolders > 0)
        {
            parts.Add($"{SkippedLinkedFolders} linked folder{(SkippedLinkedFolders == 1 ? string.Empty : "s")} (links to folders are not followed; name the folder itself)");
        }

        return parts.Count == 0 ? null : "skipped " + string.Join(" and ", parts);
    }
}
