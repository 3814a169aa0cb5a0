namespace Facemoji.Core;

/// <summary>
/// Reads a whole input file with a size limit. A FIFO, a character device and a socket report a length of 0, so
/// `File.ReadAllBytes` would block on a FIFO or read /dev/zero until the array limit crashes the process; here they
/// are refused before they are opened, and the limit is checked again while reading (the file may grow in between).
/// </summary>
public static class BoundedFile
{
    /// <summary>
    /// Why <paramref name="path"/> cannot be read as a file of at most <paramref name="maxBytes"/>, or null when it
    /// can: missing, a folder, a bad name, not a regular file (FIFO, device, socket, or empty), or too large.
    /// </summary>
    public static string? Problem(string path, long maxBytes)
    {
        if (Directory.Exists(path))
        {
            return "is a folder, not a file";
        }

        FileInfo info;
        try
        {
            info = new FileInfo(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"is not a valid file name ({e.Message})";
        }

        if (!info.Exists)
        {
            return "does not exist";
        }

        // .NET reports no file type on Unix beyond folders and links, and every special file has length 0.
        if ((info.Attributes & FileAttributes.Device) != 0 || info.Length == 0)
        {
            return "is empty or not a regular file (a FIFO, device or socket)";
        }

        if (info.Length > maxBytes)
        {
            return $"is {info.Length / 1e6:0.0} MB, over the limit of {Megabytes(maxBytes)} MB";
        }

        return null;
    }

    /// <summary>
    /// The bytes of a file that <see cref="Problem"/> accepts, never more than <paramref name="maxBytes"/>.
    /// Throws <see cref="FacemojiException"/> ("PATH: problem") when it does not accept it or when the file grows past
    /// the limit while it is read, and lets <see cref="IOException"/> and <see cref="UnauthorizedAccessException"/>
    /// through for the caller to name.
    /// </summary>
    public static byte[] ReadAllBytes(string path, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBytes, Array.MaxLength);
        if (Problem(path, maxBytes) is { } problem)
        {
            throw new FacemojiException($"{path}: {problem}");
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
