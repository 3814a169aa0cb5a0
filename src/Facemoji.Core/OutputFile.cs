namespace Facemoji.Core;

/// <summary>
/// Outputs are written to a temporary file beside their target and renamed over it, so a failure never leaves half a
/// file. The rename replaces whatever the name held: pointed at /dev/null by a user running as root, it would put a
/// regular file in the device's place. So a target that is a folder or a special file is refused before the work.
/// </summary>
public static class OutputFile
{
    /// <summary>Why <paramref name="path"/> cannot be replaced by an output, or null when it can (a new name or a regular file).</summary>
    public static string? Problem(string path) => FileKinds.Of(path) switch
    {
        FileKind.Folder => "is a folder, not a file",
        FileKind.Special => $"{FileKinds.NotRegular}; an output replaces its target whole, so name a file",
        _ => null,
    };

    /// <summary>
    /// Throws <see cref="FacemojiException"/> when <paramref name="folder"/>, where outputs are to go, names a file or a
    /// device (Directory.CreateDirectory would fail on it with "The file ... already exists", naming no option).
    /// </summary>
    public static void CheckFolder(string folder)
    {
        if (FileKinds.Of(folder) is FileKind.RegularFile or FileKind.Special)
        {
            throw new FacemojiException($"{folder}: is a file, not a folder; the outputs go into a folder (a new one is made)");
        }
    }

    /// <summary>Throws <see cref="FacemojiException"/> ("PATH: problem") when <see cref="Problem"/> refuses <paramref name="path"/>.</summary>
    public static void Check(string path)
    {
        if (Problem(path) is { } problem)
        {
            throw new FacemojiException($"{path}: {problem}");
        }
    }
}
