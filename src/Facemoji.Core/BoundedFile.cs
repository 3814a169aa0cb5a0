namespace Facemoji.Core;

/// <summary>
/// Reads a whole input file with a size limit. A FIFO, a character device and a socket are refused before they are
/// opened (<see cref="FileKinds"/>): `File.ReadAllBytes` would block on a FIFO, or read /dev/zero until the array
/// limit crashes the process. The limit is checked again while reading, since the file may grow in between.
/// </summary>
public static class BoundedFile
{
    /// <summary>
    /// Why <paramref name="path"/> cannot be read as a file of at most <paramref name="maxBytes"/>, or null when it
    /// can: a bad name, missing, a folder, not a regular file (FIFO, device, socket), or too large. Links are followed.
    /// </summary>
    public static string? Problem(string path, long maxBytes)
    {
        try
        {
            _ = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"is not a valid file name ({e.Message})";
        }

        var (kind, size) = FileKinds.Read(path);
        return kind switch
        {
            FileKind.Missing => "does not exist",
            FileKind.Folder => "is a folder, not a file",
            FileKind.Special => FileKinds.NotRegular,
            _ when size > maxBytes => $"is {size / 1e6:0.0} MB, over the limit of {Megabytes(maxBytes)} MB",
            _ => null,
        };
    }

    /// <summary>
    /// The bytes of a file that <see cref="Problem"/> accepts, never more than <paramref name="maxBytes"/>.
    /// When it does not accept it, throws what <paramref name="refuse"/> makes of the problem (by default a
    /// <see cref="FacemojiException"/> "PATH: problem"), so a reader keeps its own exception type and wording; a file
    /// that grows past the limit while it is read is a <see cref="FacemojiException"/>. <see cref="IOException"/> and
    /// <see cref="UnauthorizedAccessException"/> go through for the caller to name.
    /// </summary>
    public static byte[] ReadAllBytes(string path, long maxBytes, Func<string, FacemojiException>? refuse = null)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBytes, Array.MaxLength);
        if (Problem(path, maxBytes) is { } problem)
        {
            throw refuse?.Invoke(problem) ?? new FacemojiException($"{path}: {problem}");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var copy = new MemoryStream((int)Math.Min(stream.Length, maxBytes));
        byte[] chunk = new byte[1 << 16];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (copy.Length + read > maxBytes)
            {
                throw new FacemojiException($"{path}: grew past the limit of {Megabytes(maxBytes)} MB while it was read");
            }

            copy.Write(chunk, 0, read);
        }

        return copy.Length == copy.Capacity ? copy.GetBuffer() : copy.ToArray();
    }

    private static string Megabytes(long bytes) => bytes >= 1 << 20 ? $"{bytes >> 20}" : $"{bytes / 1048576.0:0.###}";
}
