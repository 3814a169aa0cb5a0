using System.Text.RegularExpressions;
using Facemoji.Imaging;

namespace Facemoji.Web.Saves;

/// <summary>
/// The saves folder. The server makes every name (<c>facemoji-YYYYMMDD-HHMMSS-fff[-n].png|jpg</c>); a name that
/// comes back in a request must match that pattern exactly, so no request can reach a file outside the folder.
/// Files are written to a temporary name and renamed, so the gallery never lists half a picture.
/// </summary>
internal sealed partial class SaveStore
{
    private readonly string folder;
    private readonly ServerLimits limits;
    private readonly Lock nameLock = new();
    private readonly Queue<long> recentSaves = new();

    public SaveStore(string folder, ServerLimits limits)
    {
        this.folder = Path.GetFullPath(folder);
        this.limits = limits;
    }

    /// <summary>
    /// Refuses a save that would break the quota: 429 beyond <see cref="ServerLimits.MaxSavesPerMinute"/>, 507 when
    /// the folder already holds <see cref="ServerLimits.MaxSaves"/> pictures or the bytes would pass
    /// <see cref="ServerLimits.MaxSavesBytes"/>. Pictures already in the folder count.
    /// </summary>
    public void CheckRoom(long bytes)
    {
        lock (nameLock)
        {
            long now = Environment.TickCount64;
            while (recentSaves.Count > 0 && now - recentSaves.Peek() > 60_000)
            {
                recentSaves.Dequeue();
            }

            if (recentSaves.Count >= limits.MaxSavesPerMinute)
            {
                throw new Api.ApiProblem(429, $"too many saves: at most {limits.MaxSavesPerMinute} a minute; try again in a minute");
            }

            var (count, total) = Usage();
            if (count >= limits.MaxSaves)
            {
                throw new Api.ApiProblem(507, $"the saves folder is full: it holds {count} pictures, the limit is {limits.MaxSaves}; delete some from {folder}");
            }

            if (total + bytes > limits.MaxSavesBytes)
            {
                throw new Api.ApiProblem(507,
                    $"the saves folder is full: {total / 1048576.0:0.#} MB used, this picture needs {bytes / 1048576.0:0.#} MB more, the limit is {limits.MaxSavesBytes / 1048576.0:0.#} MB; delete some from {folder}");
            }

            recentSaves.Enqueue(now);
        }
    }

    private (int Count, long Bytes) Usage()
    {
        if (!Directory.Exists(folder))
        {
            return (0, 0);
        }

        int count = 0;
        long bytes = 0;
        foreach (FileInfo file in new DirectoryInfo(folder).EnumerateFiles("facemoji-*"))
        {
            if (IsValidName(file.Name))
            {
                count++;
                bytes += file.Length;
            }
        }

        return (count, bytes);
    }

    public string Folder => folder;

    /// <summary>True when a file can be created in the folder (made when missing): readiness for /api/health/ready.</summary>
    public bool CanWrite()
    {
        try
        {
            Directory.CreateDirectory(folder);
            string probe = Path.Combine(folder, $".ready-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>True for names the server could have made; everything else is refused before touching the disk.</summary>
    public static bool IsValidName(string name) => SaveName().IsMatch(name);

    /// <summary>Stores an already-validated PNG or JPEG and returns its entry.</summary>
    public SavedPicture Save(byte[] encoded, ImageFileFormat format)
    {
        Directory.CreateDirectory(folder);
        string extension = format == ImageFileFormat.Jpeg ? "jpg" : "png";
        string stem = $"facemoji-{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}";
        string name;
        string path;
        string temp = Path.Combine(folder, $".{stem}-{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(temp, encoded);
        lock (nameLock)
        {
            // Several servers may share the folder: a name another process took between the check and the move
            // makes the move fail (it never overwrites), and the next number is tried.
            for (int n = 1; ; n++)
            {
                name = n == 1 ? $"{stem}.{extension}" : $"{stem}-{n}.{extension}";
                path = Path.Combine(folder, name);
                if (File.Exists(path))
                {
                    continue;
                }

                try
                {
                    File.Move(temp, path, overwrite: false);
                    break;
                }
                catch (IOException) when (File.Exists(path) && File.Exists(temp) && n < 1000)
                {
                }
            }
        }

        return Describe(new FileInfo(path));
    }

    /// <summary>The pictures, newest first.</summary>
    public IReadOnlyList<SavedPicture> List()
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return new DirectoryInfo(folder).EnumerateFiles("facemoji-*")
            .Where(f => IsValidName(f.Name))
            .OrderByDescending(f => f.Name, StringComparer.Ordinal)
            .Select(Describe)
            .ToList();
    }

    /// <summary>The full path of a saved picture, or null when the name is not one of ours or the file is gone.</summary>
    public string? PathOf(string name)
    {
        if (!IsValidName(name))
        {
            return null;
        }

        string path = Path.GetFullPath(Path.Combine(folder, name));
        // The pattern already excludes separators and dots; this is the second lock on the same door.
        if (!path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
        {
            return null;
        }

        return path;
    }

    private static SavedPicture Describe(FileInfo file) =>
        new(file.Name, $"/api/saves/{file.Name}", file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));

    [GeneratedRegex(@"\Afacemoji-[0-9]{8}-[0-9]{6}-[0-9]{3}(-[0-9]{1,6})?\.(png|jpg)\z", RegexOptions.CultureInvariant)]
    private static partial Regex SaveName();
}
