using System.Globalization;
using System.Text;
using Facemoji.Engine;

namespace Facemoji.Pipeline.Batch;

/// <summary>
/// One share of a batch: <c>--shard I/N</c> keeps the inputs whose relative path hashes to <c>I</c> modulo
/// <c>N</c> (I counts from 0, as Kubernetes' JOB_COMPLETION_INDEX does). The hash is 64-bit FNV-1a of the path's
/// UTF-8 bytes with '/' separators, so every machine, runtime and run splits the same inputs the same way
/// (string.GetHashCode is randomised per process and would not).
/// </summary>
public readonly record struct ShardSpec(int Index, int Count)
{
    /// <summary>The whole batch: one shard of one.</summary>
    public static ShardSpec All { get; } = new(0, 1);

    /// <summary>Reads <c>I/N</c>; anything else is a <see cref="FacemojiException"/> that says what is wrong.</summary>
    public static ShardSpec Parse(string text)
    {
        string[] parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
        {
            throw new FacemojiException($"--shard '{text}': expected I/N, two whole numbers like 0/4 (shard I of N, counting from 0)");
        }

        if (count < 1)
        {
            throw new FacemojiException($"--shard '{text}': the number of shards must be at least 1");
        }

        if (index >= count)
        {
            throw new FacemojiException($"--shard '{text}': the shard index must be below the number of shards (0 to {count - 1})");
        }

        return new ShardSpec(index, count);
    }

    /// <summary>True when the input with this relative path belongs to this shard.</summary>
    public bool Contains(string relativePath) => (int)(Fnv1a64(NormalizeKey(relativePath)) % (ulong)Count) == Index;

    /// <summary>The path as the hash sees it: '/' separators, no leading "./".</summary>
    public static string NormalizeKey(string relativePath)
    {
        string key = relativePath.Replace('\\', '/');
        while (key.StartsWith("./", StringComparison.Ordinal))
        {
            key = key[2..];
        }

        return key;
    }

    /// <summary>64-bit FNV-1a of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static ulong Fnv1a64(string text)
    {
        const ulong offsetBasis = 14695981039346656037UL;
        const ulong prime = 1099511628211UL;
        ulong hash = offsetBasis;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= prime;
        }

        return hash;
    }

    public override string ToString() => $"{Index}/{Count}";
}
