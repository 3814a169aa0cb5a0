using System.Buffers.Binary;

namespace Facemoji.Engine.TfLite;

/// <summary>
/// One table of a FlatBuffers file, read by hand: the schema subset a TFLite model needs (scalars, strings,
/// vectors of scalars and of tables, sub-tables). Every offset is checked against the file, so a truncated or
/// corrupt file gives a <see cref="TfLiteFormatException"/> instead of reading garbage or throwing out of range.
/// </summary>
internal readonly struct FlatBufferTable
{
    private readonly byte[] data;
    private readonly int position;
    private readonly int vtable;
    private readonly int vtableSize;

    private FlatBufferTable(byte[] data, int position)
    {
        this.data = data;
        this.position = position;
        int back = ReadInt32(data, position);
        long vt = (long)position - back;
        Check(data, vt, 4, "a table's field index");
        vtable = (int)vt;
        vtableSize = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(vtable));
        if (vtableSize < 4 || (vtableSize & 1) != 0)
        {
            throw new TfLiteFormatException($"a table's field index has an impossible size ({vtableSize} bytes)");
        }

        Check(data, vtable, vtableSize, "a table's field index");
    }

    /// <summary>The root table; <paramref name="identifier"/> (4 letters) must follow the root offset.</summary>
    public static FlatBufferTable Root(byte[] data, string identifier)
    {
        if (data.Length < 8)
        {
            throw new TfLiteFormatException($"it is {data.Length} bytes long, too short for a FlatBuffers file");
        }

        string found = System.Text.Encoding.ASCII.GetString(data, 4, 4);
        if (found != identifier)
        {
            throw new TfLiteFormatException($"it does not carry the TFLite file identifier \"{identifier}\"");
        }

        return At(data, 0);
    }

    private static FlatBufferTable At(byte[] data, long offsetPosition)
    {
        long target = offsetPosition + ReadUInt32(data, offsetPosition);
        Check(data, target, 4, "a table");
        return new FlatBufferTable(data, (int)target);
    }

    private int FieldOffset(int field)
    {
        int entry = 4 + (2 * field);
        return entry + 2 <= vtableSize ? BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(vtable + entry)) : 0;
    }

    public bool Has(int field) => FieldOffset(field) != 0;

    public int Int32(int field, int fallback = 0)
    {
        int o = FieldOffset(field);
        return o == 0 ? fallback : ReadInt32(data, position + o);
    }

    public uint UInt32(int field, uint fallback = 0)
    {
        int o = FieldOffset(field);
        return o == 0 ? fallback : ReadUInt32(data, position + o);
    }

    public ulong UInt64(int field)
    {
        int o = FieldOffset(field);
        if (o == 0)
        {
            return 0;
        }

        Check(data, position + o, 8, "a 64-bit field");
        return BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(position + o));
    }

    public byte Byte(int field, byte fallback = 0)
    {
        int o = FieldOffset(field);
        if (o == 0)
        {
            return fallback;
        }

        Check(data, position + o, 1, "a byte field");
        return data[position + o];
    }

    public FlatBufferTable? Table(int field)
    {
        int o = FieldOffset(field);
        return o == 0 ? null : At(data, position + o);
    }

    public string? String(int field)
    {
        var (start, length) = Vector(field, 1);
        return start < 0 ? null : System.Text.Encoding.UTF8.GetString(data, start, length);
    }

    /// <summary>A vector of int32 (empty when absent).</summary>
    public int[] Int32Vector(int field)
    {
        var (start, length) = Vector(field, 4);
        var result = new int[Math.Max(0, length)];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(start + (4 * i)));
        }

        return result;
    }

    /// <summary>A vector of bytes as a span of the file (empty when absent).</summary>
    public ReadOnlySpan<byte> ByteVector(int field)
    {
        var (start, length) = Vector(field, 1);
        return start < 0 ? [] : data.AsSpan(start, length);
    }

    /// <summary>A vector of tables (empty when absent).</summary>
    public FlatBufferTable[] TableVector(int field)
    {
        var (start, length) = Vector(field, 4);
        var result = new FlatBufferTable[Math.Max(0, length)];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = At(data, start + (4 * i));
        }

        return result;
    }

    /// <summary>Start and element count of a vector field, (-1, 0) when absent.</summary>
    private (int Start, int Length) Vector(int field, int elementSize)
    {
        int o = FieldOffset(field);
        if (o == 0)
        {
            return (-1, 0);
        }

        long at = position + o + (long)ReadUInt32(data, position + o);
        uint count = ReadUInt32(data, at);
        Check(data, at + 4, (long)count * elementSize, "a vector");
        return ((int)(at + 4), (int)count);
    }

    private static int ReadInt32(byte[] data, long at) => (int)ReadUInt32(data, at);

    private static uint ReadUInt32(byte[] data, long at)
    {
        Check(data, at, 4, "an offset");
        return BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)at));
    }

    private static void Check(byte[] data, long at, long length, string what)
    {
        if (at < 0 || length < 0 || at + length > data.Length)
        {
            throw new TfLiteFormatException($"{what} at byte {at} runs past the end of the file ({data.Length} bytes)");
        }
    }
}
