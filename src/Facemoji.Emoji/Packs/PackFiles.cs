
namespace Facemoji.Emoji.Packs;

/// <summary>
/// How a pack's files are reached: real paths (every component's links followed, so a linked directory cannot lead
/// out of the pack); the files themselves are read with <see cref="BoundedFile"/> (regular files only, a size limit
/// checked before reading and again while reading).
/// </summary>
internal static class PackFiles
{
    private const int MaxLinkHops = 40;

    /// <summary>The path with every symbolic link resolved, component by component (like realpath(3)).</summary>
    public static string RealPath(string path) => RealPath(Path.GetFullPath(path), 0);

    /// <summary>True when <paramref name="full"/> lies strictly inside <paramref name="folder"/> (both real paths).</summary>
    public static bool IsInside(string folder, string full)
    {
        string prefix = Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal);
    }

    private static string RealPath(string full, int depth)
    {
        if (depth > MaxLinkHops)
        {
            throw new FacemojiException($"{full}: too many levels of symbolic links (a loop?)");
        }

        string root = Path.GetPathRoot(full) ?? "/";
        string current = root;
        foreach (string part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            string next = Path.Combine(current, part);
            FileSystemInfo entry = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (entry.LinkTarget is { } target)
            {
                // The target is relative to the link's folder, and may itself hold links.
                next = RealPath(Path.GetFullPath(target, current), depth + 1);
            }

            current = next;
        }

        return current;
    }
}
