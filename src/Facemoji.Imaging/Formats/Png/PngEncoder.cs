using System.Buffers.Binary;
using System.IO.Compression;

namespace Facemoji.Imaging.Formats.Png;

/// <summary>
/// A managed PNG encoder for 8-bit gray, RGB and RGBA, non-interlaced. Each row gets the filter with the smallest
/// sum of absolute (signed) filtered bytes, libpng's heuristic; the data is deflated by <see cref="ZLibStream"/>.
/// </summary>
public static class PngEncoder
{
    private const int MaxChunkData = 1 << 20;

    /// <summary>
    /// Encodes <paramref name="image"/>. Without <paramref name="colorType"/> the smallest lossless type is chosen:
    /// gray when every pixel is gray and opaque, RGB when opaque, otherwise RGBA.
    /// </summary>
    public static byte[] Encode(RgbaImage image, PngColorType? colorType = null, CompressionLevel level = CompressionLevel.Optimal)
    {
        PngColorType type = colorType ?? ChooseColorType(image);
        int channels = type switch
        {
            PngColorType.Gray => 1,
            PngColorType.Rgb => 3,
            PngColorType.Rgba => 4,
            _ => throw new ArgumentException($"The PNG encoder writes gray, RGB or RGBA, not {type}.", nameof(colorType)),
        };
        return EncodeRows(image.Width, image.Height, channels, type, level, (y, row) =>
        {
            ReadOnlySpan<byte> source = image.Row(y);
            switch (channels)
            {
                case 4:
                    source.CopyTo(row);
                    break;
                case 3:
                    for (int x = 0; x < image.Width; x++)
                    {
                        row[x * 3] = source[x * 4];
                        row[x * 3 + 1] = source[x * 4 + 1];
                        row[x * 3 + 2] = source[x * 4 + 2];
                    }

                    break;
                default:
                    // Gray keeps the red channel: the caller chose gray, or every pixel has R = G = B.
                    for (int x = 0; x < image.Width; x++)
                    {
                        row[x] = source[x * 4];
                    }

                    break;
            }
        });
    }

    /// <summary>Encodes an 8-bit gray PNG.</summary>
    public static byte[] Encode(GrayImage image, CompressionLevel level = CompressionLevel.Optimal) =>
        EncodeRows(image.Width, image.Height, 1, PngColorType.Gray, level, (y, row) => image.Row(y).CopyTo(row));

    private static PngColorType ChooseColorType(RgbaImage image)
    {
        bool gray = true;
        ReadOnlySpan<byte> p = image.Pixels;
        for (int i = 0; i < p.Length; i += 4)
        {
            if (p[i + 3] != 255)
            {
                return PngColorType.Rgba;
            }

            gray &= p[i] == p[i + 1] && p[i + 1] == p[i + 2];
        }

        return gray ? PngColorType.Gray : PngColorType.Rgb;
    }

    private delegate void RowSource(int y, Span<byte> row);

    private static byte[] EncodeRows(int width, int height, int channels, PngColorType type, CompressionLevel level, RowSource source)
    {
        int rowBytes = width * channels;
        var compressed = new MemoryStream();
        using (var deflater = new ZLibStream(compressed, level, leaveOpen: true))
        {
            byte[] current = new byte[rowBytes], prior = new byte[rowBytes];
            byte[] best = new byte[rowBytes + 1], trial = new byte[rowBytes + 1];
            for (int y = 0; y < height; y++)
            {
                source(y, current);
                int bestCost = int.MaxValue;
                for (int filter = PngFilters.None; filter <= PngFilters.Paeth; filter++)
                {
                    int cost = PngFilters.Apply(filter, current, prior, channels, trial.AsSpan(1));
                    if (cost < bestCost)
                    {
                        bestCost = cost;
                        trial[0] = (byte)filter;
                        (best, trial) = (trial, best);
                    }
                }

                deflater.Write(best);
                (current, prior) = (prior, current);
            }
        }

        // Sized exactly (signature, IHDR, one 12-byte frame per IDAT, IEND), so the file is never copied to grow.
        long chunks = Math.Max(1, (compressed.Length + MaxChunkData - 1) / MaxChunkData);
        var output = new MemoryStream(checked((int)(8 + 25 + chunks * 12 + compressed.Length + 12)));
        output.Write(PngHeader.Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)height);
        header[8] = 8;
        header[9] = (byte)type;
        header[10] = header[11] = header[12] = 0;
        WriteChunk(output, "IHDR"u8, header);
        ReadOnlySpan<byte> data = compressed.GetBuffer().AsSpan(0, (int)compressed.Length);
        do
        {
            int take = Math.Min(MaxChunkData, data.Length);
            WriteChunk(output, "IDAT"u8, data[..take]);
            data = data[take..];
        }
        while (data.Length > 0);
        WriteChunk(output, "IEND"u8, []);
        return output.Length == output.Capacity ? output.GetBuffer() : output.ToArray();
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        uint crc = Crc32.Update(Crc32.Update(0xFFFFFFFFu, type), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }
}
