using System.Buffers.Binary;
using System.Text;

namespace Facemoji.Engine.Onnx;

/// <summary>
/// Builds one protocol-buffers message in memory: the few wire types the ONNX subset we write needs
/// (varint, 32-bit float, length-delimited bytes / strings / nested messages). Fields are written in the order
/// they are added; repeated fields are added once per element (unpacked, which every proto2 and proto3 reader accepts).
/// </summary>
internal sealed class ProtobufMessage
{
    private const int WireVarint = 0;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;

    private readonly MemoryStream buffer = new();

    public int Length => (int)buffer.Length;

    public ProtobufMessage Int64(int field, long value)
    {
        Tag(field, WireVarint);
        Varint(unchecked((ulong)value));
        return this;
    }

    public ProtobufMessage Int64s(int field, IEnumerable<long> values)
    {
        foreach (long v in values)
        {
            Int64(field, v);
        }

        return this;
    }

    public ProtobufMessage Float(int field, float value)
    {
        Tag(field, WireFixed32);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        buffer.Write(bytes);
        return this;
    }

    public ProtobufMessage String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtobufMessage Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, WireLengthDelimited);
        Varint((ulong)value.Length);
        buffer.Write(value);
        return this;
    }

    public ProtobufMessage Message(int field, ProtobufMessage message)
    {
        Tag(field, WireLengthDelimited);
        Varint((ulong)message.buffer.Length);
        message.buffer.Position = 0;
        message.buffer.CopyTo(buffer);
        return this;
    }

    public byte[] ToArray() => buffer.ToArray();

    public void WriteTo(Stream stream)
    {
        buffer.Position = 0;
        buffer.CopyTo(stream);
    }

    private void Tag(int field, int wireType) => Varint(((ulong)field << 3) | (uint)wireType);

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        buffer.WriteByte((byte)value);
    }
}
