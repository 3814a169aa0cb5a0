using System.Security.Cryptography;
using System.Text;

namespace Facemoji.Training.Data;

/// <summary>
/// Decoded datasets on disk, keyed by their content, so that a second run skips parsing and decoding.
/// The key is a SHA-256 of the CSV bytes, or of the sorted image list with each file's size and modification
/// time, plus the reader version and the --skip-bad choice. The file is small and flat: a header
/// ("FMJDATA" + version), the skipped-row count and reasons, then per split its name, count, labels and pixels.
/// A cache file that does not read back is ignored and rewritten, never trusted.
/// </summary>
internal sealed class DatasetCache(string directory)
{
    /// <summary>Bump when a reader changes what it produces, so that old cache files stop matching.</summary>
    public const int FormatVersion = 1;

    private static readonly byte[] Magic = "FMJDATA1"u8.ToArray();

    public string Directory { get; } = directory;

    /// <summary>The variable that names the dataset cache folder outright.</summary>
    public const string DirectoryVariable = "FACEMOJI_CACHE_DIR";

    /// <summary>
    /// The default folder: $FACEMOJI_CACHE_DIR, else $XDG_CACHE_HOME/facemoji/datasets, else
    /// ~/.cache/facemoji/datasets: never the current folder, where nobody asked for 80 MB of cache.
    /// </summary>
    public static string DefaultDirectory
    {
        get
        {
            if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } dir)
            {
                return dir;
            }

            string root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(root, "facemoji", "datasets");
        }
    }

    public static string KeyOfBytes(ReadOnlySpan<byte> content, bool skipBad)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"csv v{FormatVersion} skipBad={skipBad}\n"));
        hash.AppendData(content);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static string KeyOfFiles(string root, IReadOnlyList<ImageFolderReader.ImageEntry> entries, bool skipBad)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"folders v{FormatVersion} skipBad={skipBad}\n"));
        foreach (var entry in entries)
        {
            var info = new FileInfo(entry.Path);
            string relative = Path.GetRelativePath(root, entry.Path).Replace('\\', '/');
            hash.AppendData(Encoding.UTF8.GetBytes($"{relative}\t{(int)entry.Emotion}\t{entry.Split}\t{info.Length}\t{info.LastWriteTimeUtc.Ticks}\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public string PathOf(string key) => Path.Combine(Directory, key + ".fmjdata");

    /// <summary>The cached splits for <paramref name="key"/>, or null when absent or unreadable.</summary>
    public DatasetSplits? TryLoad(string key, string source, SkippedRecords skipped)
    {
        string path = PathOf(key);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || reader.ReadInt32() != FormatVersion)
            {
                return null;
            }

            int skippedCount = reader.ReadInt32();
            int messageCount = reader.ReadInt32();
            var messages = new List<string>();
            for (int i = 0; i < messageCount; i++)
            {
                messages.Add(reader.ReadString());
            }

            int splitCount = reader.ReadInt32();
            var splits = new Dictionary<string, FerDataset>();
            for (int s = 0; s < splitCount; s++)
            {
                string name = reader.ReadString();
                int count = reader.ReadInt32();
                if (count < 0 || (long)count * FerDataset.PixelsPerImage > stream.Length)
                {
                    return null;
                }

                byte[] labels = ReadExactly(reader, count);
                byte[] pixels = ReadExactly(reader, count * FerDataset.PixelsPerImage);
                splits[name] = new FerDataset(pixels, labels, name == DatasetSplits.All ? source : $"{name} split of {source}");
            }

            if (stream.Position != stream.Length)
            {
                return null;
            }

            skipped.AddRange(skippedCount, messages);
            return new DatasetSplits(source, splits);
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes the splits under <paramref name="key"/> (to a temporary file, then renamed); returns the file size.</summary>
    public long Save(string key, DatasetSplits splits, SkippedRecords skipped)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string path = PathOf(key);
        string temporary = path + $".{Environment.ProcessId}.tmp";
        using (var stream = File.Create(temporary))
        using (var writer = new BinaryWriter(stream, Encoding.UTF8))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(skipped.Count);
            writer.Write(skipped.Examples.Count);
            foreach (var message in skipped.Examples)
            {
                writer.Write(message);
            }

            writer.Write(splits.Names.Count);
            foreach (var name in splits.Names)
            {
                var dataset = splits.Get(name);
                writer.Write(name);
                writer.Write(dataset.Count);
                writer.Write(dataset.Labels);
                writer.Write(dataset.Pixels);
            }
        }

        File.Move(temporary, path, overwrite: true);
        return new FileInfo(path).Length;
    }

    private static byte[] ReadExactly(BinaryReader reader, int count)
    {
        byte[] bytes = reader.ReadBytes(count);
        if (bytes.Length != count)
        {
            throw new EndOfStreamException();
        }

        return bytes;
    }
}
