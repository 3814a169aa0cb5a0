
namespace Facemoji.Emoji.Packs;

/// <summary>
/// How a pack's files are reached: real paths (every component's links followed, so a linked directory cannot lead
/// out of the pack), regular files only (a FIFO or a device reports no size and is refused before it is opened, so
/// nothing hangs or reads forever), and a size checked before reading and again while reading.
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

    /// <summary>
    /// Why <paramref name="realPath"/> cannot be read as a pack file of at most <paramref name="maxBytes"/>, or null
    /// when it can: missing, a folder, not a regular file (FIFO, device, socket, or empty), or too large.
    /// </summary>
    public static string? Problem(string realPath, long maxBytes)
    {
        var info = new FileInfo(realPath);
        if (Directory.Exists(realPath))
        {
            return "is a folder, not a file";
        }

        if (!info.Exists)
        {
            return "not found";
        }

        // A FIFO, a character or block device and a socket all report a length of 0: refusing length 0 before
        // opening keeps `packs validate` from blocking on a FIFO or reading /dev/zero until memory runs out.
        if ((info.Attributes & FileAttributes.Device) != 0 || info.Length == 0)
        {
            return "is empty or not a regular file (a FIFO, device or socket)";
        }

        if (info.Length > maxBytes)
        {
            return $"is {info.Length / 1e6:0.0} MB, over the limit of {maxBytes >> 20} MB";
        }

        return null;
    }

    /// <summary>Reads a file checked by <see cref="Problem"/>, never more than <paramref name="maxBytes"/> (the file may change in between).</summary>
    public static byte[] ReadBounded(string realPath, long maxBytes)
    {
        if (Problem(realPath, maxBytes) is { } problem)
        {
            throw new FacemojiException($"{realPath}: {problem}");
        }

        using var stream = new FileStream(realPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
        using var copy = new MemoryStream();
        byte[] chunk = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (copy.Length + read > maxBytes)
            {
                throw new FacemojiException($"{realPath}: grew past the limit of {maxBytes >> 20} MB while it was read");
            }

            copy.Write(chunk, 0, read);
        }

        return copy.ToArray();
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
