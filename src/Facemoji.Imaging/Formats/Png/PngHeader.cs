using System.Buffers.Binary;

namespace Facemoji.Imaging.Formats.Png;

/// <summary>The IHDR chunk: size, colour type, bit depth and interlacing of a PNG.</summary>
public readonly record struct PngHeader(int Width, int Height, int BitDepth, PngColorType ColorType, bool Interlaced)
{
    /// <summary>The 8-byte signature every PNG starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public int Channels => ColorType switch
    {
        PngColorType.Gray or PngColorType.Palette => 1,
        PngColorType.GrayAlpha => 2,
        PngColorType.Rgb => 3,
        _ => 4,
    };

    public int BitsPerPixel => Channels * BitDepth;

    /// <summary>Bytes per complete pixel, at least 1: the distance the Sub, Average and Paeth filters look back.</summary>
    public int FilterStride => Math.Max(1, BitsPerPixel / 8);

    /// <summary>Bytes of one unfiltered scanline of <paramref name="width"/> pixels (without the filter byte).</summary>
    public long RowBytes(int width) => ((long)width * BitsPerPixel + 7) / 8;

    /// <summary>Parses and validates the 13 bytes of IHDR; size limits are checked here, before any allocation.</summary>
    internal static PngHeader Parse(ReadOnlySpan<byte> data, string source)
    {
        if (data.Length != 13)
        {
            throw new ImageFormatException(source, $"corrupt PNG: IHDR chunk has {data.Length} bytes instead of 13");
        }

        uint width = BinaryPrimitives.ReadUInt32BigEndian(data);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        int depth = data[8];
        int colorType = data[9];
        if (data[10] != 0 || data[11] != 0)
        {
            throw new ImageFormatException(source, $"corrupt PNG: unknown compression method {data[10]} or filter method {data[11]}");
        }

        if (data[12] > 1)
        {
            throw new ImageFormatException(source, $"corrupt PNG: unknown interlace method {data[12]}");
        }

        bool valid = colorType switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16,
            3 => depth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => depth is 8 or 16,
            _ => false,
        };
        if (!valid)
        {
            throw new ImageFormatException(source, $"corrupt PNG: colour type {colorType} with bit depth {depth} does not exist");
        }

        ImageLimits.Check(width, height, source);
        return new PngHeader((int)width, (int)height, depth, (PngColorType)colorType, data[12] == 1);
    }
}
