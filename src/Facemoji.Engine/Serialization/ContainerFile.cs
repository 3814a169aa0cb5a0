using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Serialization;

/// <summary>
/// The one binary layout behind model files and training checkpoints. Little-endian throughout:
/// <code>
/// "FACEMOJI"                      8 bytes, magic
/// uint32 format version           1 (a newer reader may read older files, never the reverse)
/// uint32 kind                     1 model, 2 training checkpoint
/// uint32 header length, bytes     UTF-8 JSON
/// uint32 tensor count
///   per tensor: uint32 name length, UTF-8 name, uint32 rank, int32[rank] shape, float32[prod(shape)] data
/// SHA-256                         32 bytes, of everything before it
/// </code>
/// Writing goes to a temporary file in the same folder, renamed over the target only once complete. Reading
/// loads the file, checks every length against the bytes that remain before allocating anything, and turns
/// every problem into a <see cref="ModelFileException"/>.
/// </summary>
internal static class ContainerFile
{
    public const uint CurrentFormatVersion = 1;
    public const int MaxHeaderBytes = 16 << 20;
    public const int MaxTensorCount = 1 << 16;
    public const int MaxNameBytes = 1024;
    public const int MaxRank = 8;
    public const long MaxFileBytes = 2_000_000_000;
    private const int HashBytes = 32;
    private const int PrefixBytes = 8 + 4 + 4;
    private static readonly byte[] Magic = "FACEMOJI"u8.ToArray();
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Describe(ContainerKind kind) => kind switch
    {
        ContainerKind.Model => "a model file",
        ContainerKind.TrainingCheckpoint => "a training checkpoint",
        _ => $"an unknown kind of Facemoji file ({(uint)kind})",
    };

    public static void Write(string path, ContainerKind kind, string headerJson, IReadOnlyList<NamedTensor> tensors)
    {
        byte[] header = StrictUtf8.GetBytes(headerJson);
        if (header.Length > MaxHeaderBytes)
        {
            throw new ModelFileException(path, $"the header is {header.Length} bytes, more than the {MaxHeaderBytes} a file may hold.");
        }

        if (tensors.Count > MaxTensorCount)
        {
            throw new ModelFileException(path, $"{tensors.Count} tensors are more than the {MaxTensorCount} a file may hold.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tensor in tensors)
        {
            int nameBytes = StrictUtf8.GetByteCount(tensor.Name);
            if (nameBytes == 0 || nameBytes > MaxNameBytes || !names.Add(tensor.Name))
            {
                throw new ModelFileException(path, $"tensor name '{tensor.Name}' is empty, longer than {MaxNameBytes} bytes, or used twice.");
            }

            if (tensor.Value.Rank > MaxRank)
            {
                throw new ModelFileException(path, $"tensor '{tensor.Name}' has {tensor.Value.Rank} dimensions, more than {MaxRank}.");
            }
        }

        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ModelFileException(path, $"is not a usable file path: {e.Message}", e);
        }

        if (OutputFile.Problem(path) is { } problem)
        {
            throw new ModelFileException(path, problem + ".");
        }

        string folder = Path.GetDirectoryName(fullPath) ?? ".";
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var writer = new HashingWriter(stream))
            {
                writer.Write(Magic);
                writer.WriteUInt32(CurrentFormatVersion);
                writer.WriteUInt32((uint)kind);
                writer.WriteUInt32((uint)header.Length);
                writer.Write(header);
                writer.WriteUInt32((uint)tensors.Count);
                foreach (var tensor in tensors)
                {
                    byte[] name = StrictUtf8.GetBytes(tensor.Name);
                    writer.WriteUInt32((uint)name.Length);
                    writer.Write(name);
                    writer.WriteUInt32((uint)tensor.Value.Rank);
                    foreach (int d in tensor.Value.Shape)
                    {
                        writer.WriteUInt32((uint)d);
                    }

                    writer.WriteFloats(tensor.Value.Span);
                }

                writer.WriteHash();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new ModelFileException(path, $"cannot be written: {e.Message}", e);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public static ContainerContents Read(string path, ContainerKind expectedKind)
    {
        byte[] bytes = ReadAllBytes(path);
        return Parse(path, bytes, expectedKind);
    }

    /// <summary>Parses a whole file held in memory; <paramref name="path"/> only names it in messages.</summary>
    public static ContainerContents Parse(string path, byte[] bytes, ContainerKind expectedKind)
    {
        string wanted = Describe(expectedKind);
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new ModelFileException(path, $"is not {wanted}: it does not start with \"FACEMOJI\".");
        }

        if (bytes.Length < PrefixBytes)
        {
            throw new ModelFileException(path, $"is truncated: {bytes.Length} bytes, too short even for the format version and kind.");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (version == 0)
        {
            throw new ModelFileException(path, "is malformed: format version 0 does not exist.");
        }

        if (version > CurrentFormatVersion)
        {
            throw new ModelFileException(path, $"was written by a newer Facemoji (format version {version}); this build reads versions up to {CurrentFormatVersion}. Update Facemoji to read it.");
        }

        var kind = (ContainerKind)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12));
        if (kind != expectedKind)
        {
            throw new ModelFileException(path, $"is {Describe(kind)}, not {wanted}.");
        }

        bool checksumMatches = bytes.Length >= PrefixBytes + HashBytes
            && SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashBytes)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashBytes));

        // Walk the layout first, allocating no tensor, to tell a short file from a damaged one by its lengths.
        var layout = new Cursor(path, bytes, bytes.Length - HashBytes, checksumMatches);
        layout.Position = PrefixBytes;
        WalkLayout(ref layout);
        if (!checksumMatches)
        {
            throw new ModelFileException(path, "is corrupted: its SHA-256 checksum does not match its contents.");
        }

        var cursor = new Cursor(path, bytes, bytes.Length - HashBytes, checksumMatches: true) { Position = PrefixBytes };
        int headerLength = cursor.ReadLength("the header length", MaxHeaderBytes);
        string headerJson = cursor.ReadUtf8(headerLength, "the header");
        int count = cursor.ReadLength("the tensor count", MaxTensorCount, bytesPerUnit: 0);
        var tensors = new List<NamedTensor>(count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int t = 0; t < count; t++)
        {
            string name = cursor.ReadUtf8(cursor.ReadLength($"the name length of tensor {t}", MaxNameBytes), $"the name of tensor {t}");
            if (name.Length == 0 || !names.Add(name))
            {
                throw new ModelFileException(path, $"is malformed: tensor {t} has an empty or repeated name '{name}'.");
            }

            int[] shape = cursor.ReadShape(name);
            var tensor = new Tensor(shape);
            cursor.ReadFloats(tensor.Span, name);
            tensors.Add(new NamedTensor(name, tensor));
        }

        return new ContainerContents(version, headerJson, tensors);
    }

    private static void WalkLayout(ref Cursor cursor)
    {
        int headerLength = cursor.ReadLength("the header length", MaxHeaderBytes);
        cursor.Skip(headerLength, "the header");
        int count = cursor.ReadLength("the tensor count", MaxTensorCount, bytesPerUnit: 0);
        for (int t = 0; t < count; t++)
        {
            string name = cursor.ReadUtf8(cursor.ReadLength($"the name length of tensor {t}", MaxNameBytes), $"the name of tensor {t}");
            int[] shape = cursor.ReadShape(name);
            cursor.Skip(Tensor.ElementCount(shape) * sizeof(float), $"the data of tensor '{name}'");
        }

        cursor.ExpectEnd();
    }

    internal static byte[] ReadAllBytes(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new ModelFileException(path, "does not exist.");
            }

            if (info.Length > MaxFileBytes)
            {
                throw new ModelFileException(path, $"is {info.Length} bytes, larger than any Facemoji file ({MaxFileBytes} at most).");
            }

            return BoundedFile.ReadAllBytes(path, MaxFileBytes, problem => new ModelFileException(path, problem + "."));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ModelFileException(path, $"cannot be read: {e.Message}", e);
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the original error is the one worth reporting.
        }
    }

    /// <summary>Reads forward through the bytes before the checksum, naming what it was reading when they run out.</summary>
    private ref struct Cursor(string path, byte[] bytes, int end, bool checksumMatches)
    {
        public int Position;

        private readonly int Remaining => end - Position;

        public int ReadLength(string what, int max, int bytesPerUnit = 1)
        {
            uint value = ReadUInt32(what);
            if (value > (uint)max)
            {
                throw Damaged($"{what} is {value}, more than the {max} allowed.");
            }

            if (bytesPerUnit > 0 && (long)value * bytesPerUnit > Remaining)
            {
                throw Short(what, (long)value * bytesPerUnit);
            }

            return (int)value;
        }

        public int[] ReadShape(string tensorName)
        {
            int rank = ReadLength($"the rank of tensor '{tensorName}'", MaxRank, bytesPerUnit: 4);
            int[] shape = new int[rank];
            long elements = 1;
            for (int d = 0; d < rank; d++)
            {
                uint size = ReadUInt32($"the shape of tensor '{tensorName}'");
                elements *= size; // at most 2^29 · 2^32 here: no overflow
                if (elements > Remaining / sizeof(float))
                {
                    // Checked before anything is allocated: a shape can only describe data that is really there.
                    throw Short($"the data of tensor '{tensorName}' ({elements}+ values)", elements > long.MaxValue / sizeof(float) ? long.MaxValue : elements * sizeof(float));
                }

                shape[d] = (int)size;
            }

            return shape;
        }

        public void Skip(int count, string what)
        {
            if (count > Remaining)
            {
                throw Short(what, count);
            }

            Position += count;
        }

        public string ReadUtf8(int count, string what)
        {
            Skip(count, what);
            try
            {
                return StrictUtf8.GetString(bytes, Position - count, count);
            }
            catch (DecoderFallbackException)
            {
                throw Damaged($"{what} is not valid UTF-8.");
            }
        }

        public void ReadFloats(Span<float> destination, string tensorName)
        {
            int count = destination.Length * sizeof(float);
            Skip(count, $"the data of tensor '{tensorName}'");
            var source = bytes.AsSpan(Position - count, count);
            if (BitConverter.IsLittleEndian)
            {
                source.CopyTo(MemoryMarshal.AsBytes(destination));
            }
            else
            {
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(i * 4)..]);
                }
            }
        }

        public readonly void ExpectEnd()
        {
            if (Remaining != 0)
            {
                throw Damaged($"{Remaining} unexpected bytes follow the last tensor.");
            }
        }

        private uint ReadUInt32(string what)
        {
            if (Remaining < 4)
            {
                throw Short(what, 4);
            }

            uint value = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(Position));
            Position += 4;
            return value;
        }

        private readonly ModelFileException Short(string what, long needed) =>
            checksumMatches
                ? Damaged($"{what} needs {needed} bytes, only {Math.Max(0, Remaining)} remain.")
                : new ModelFileException(path, $"is truncated or corrupted: {what} needs {needed} bytes at offset {Position}, but the file holds only {bytes.Length} bytes in all.");

        private readonly ModelFileException Damaged(string problem) =>
            checksumMatches
                ? new ModelFileException(path, $"is malformed: {problem}")
                : new ModelFileException(path, $"is corrupted: {problem} (and its SHA-256 checksum does not match).");
    }

    /// <summary>Writes little-endian values to a stream and feeds the same bytes to a SHA-256.</summary>
    private sealed class HashingWriter(Stream stream) : IDisposable
    {
        private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly byte[] buffer = new byte[1 << 16];

        public void Write(ReadOnlySpan<byte> data)
        {
            stream.Write(data);
            hash.AppendData(data);
        }

        public void WriteUInt32(uint value)
        {
            Span<byte> word = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(word, value);
            Write(word);
        }

        public void WriteFloats(ReadOnlySpan<float> values)
        {
            if (BitConverter.IsLittleEndian)
            {
                Write(MemoryMarshal.AsBytes(values));
                return;
            }

            int perChunk = buffer.Length / sizeof(float);
            for (int start = 0; start < values.Length; start += perChunk)
            {
                var chunk = values.Slice(start, Math.Min(perChunk, values.Length - start));
                for (int i = 0; i < chunk.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * 4), chunk[i]);
                }

                Write(buffer.AsSpan(0, chunk.Length * sizeof(float)));
            }
        }

        public void WriteHash() => stream.Write(hash.GetHashAndReset());

        public void Dispose() => hash.Dispose();
    }
}
