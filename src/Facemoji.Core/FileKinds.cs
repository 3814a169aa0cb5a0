namespace Facemoji.Core;

/// <summary>Tells regular files from folders and from FIFOs, devices and sockets, which .NET reports as empty files.</summary>
public static class FileKinds
{
    /// <summary>What every refusal of a <see cref="FileKind.Special"/> path says after the path.</summary>
    public const string NotRegular = "is not a regular file (a FIFO, device or socket)";

    /// <summary>What <paramref name="path"/> names, symbolic links followed.</summary>
    public static FileKind Of(string path) => Read(path).Kind;

    /// <summary>What <paramref name="path"/> names and, for a regular file, its length in bytes (links followed).</summary>
    public static (FileKind Kind, long Size) Read(string path)
    {
        if (UnixFileStatus.Read(path) is { } status)
        {
            return status;
        }

        if (Directory.Exists(path))
        {
            return (FileKind.Folder, 0);
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return (FileKind.Missing, 0);
        }

        // Without stat: Windows marks devices; elsewhere a special file is told only by its length of 0, so an
        // empty file is taken for one (refused rather than risk blocking on a FIFO).
        bool special = (info.Attributes & FileAttributes.Device) != 0 || (!OperatingSystem.IsWindows() && info.Length == 0);
        return special ? (FileKind.Special, 0) : (FileKind.RegularFile, info.Length);
    }
}
