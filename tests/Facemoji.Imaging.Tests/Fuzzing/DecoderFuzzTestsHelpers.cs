using System.Buffers.Binary;
using Facemoji.Imaging.Tests.Support;

namespace Facemoji.Imaging.Tests.Fuzzing;

/// <summary>Builders for the fuzz tests: PNG chunk positions, files whose headers claim a given size.</summary>
internal static class DecoderFuzzTestsHelpers
{
    /// <summary>(offset of the length field, payload length) of each complete chunk.</summary>
    public static List<(int Offset, int Length)> Chunks(byte[] png)
    {
        var chunks = new List<(int, int)>();
        int position = 8;
        while (position + 12 <= png.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position));
            if (length > png.Length - position - 12)
            {
                break;
            }

            chunks.Add((position, (int)length));
            position += 12 + (int)length;
        }

        return chunks;
    }

    public static byte[] PngClaiming(int width, int height) => PngBytes.HeaderOnly(width, height);

    /// <summary>A copy of <paramref name="jpeg"/> whose frame header (SOF0/SOF2) claims width x height (16-bit fields, so capped at 65535).</summary>
    public static byte[] JpegClaiming(byte[] jpeg, int width, int height)
    {
        byte[] data = (byte[])jpeg.Clone();
        int position = 2;
        while (position + 4 < data.Length)
        {
            byte marker = data[position + 1];
            int length = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(position + 2));
            if (marker is 0xC0 or 0xC1 or 0xC2)
            {
                BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(position + 5), (ushort)Math.Min(height, 65535));
                BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(position + 7), (ushort)Math.Min(width, 65535));
                return data;
            }

            position += 2 + length;
        }

        throw new InvalidOperationException("No SOF marker.");
    }
}
