using System.Buffers.Binary;
using System.Text;
using Facemoji.Imaging;

namespace Facemoji.Testing;

/// <summary>
/// Small image files written in the formats Facemoji reads but does not write (BMP, GIF), and WebP through
/// <see cref="ImageCodecs"/>: the inputs of the format tests of the imaging, CLI,
/// pipeline and web tests. The writers are deliberately plain: 24-bit bottom-up BMP, and GIF with a 256-gray
/// palette and uncompressed LZW (a clear code every 250 pixels keeps the code size at 9 bits), so a gray picture
/// comes back exactly.
/// </summary>
public static class TestImageFiles
{
    /// <summary>A 24-bit BMP (BITMAPINFOHEADER, bottom-up rows padded to 4 bytes); alpha is dropped.</summary>
    public static byte[] Bmp(RgbaImage image)
    {
        int rowBytes = (image.Width * 3 + 3) & ~3;
        int size = 54 + rowBytes * image.Height;
        byte[] file = new byte[size];
        file[0] = (byte)'B';
        file[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), size);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(18), image.Width);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(22), image.Height);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(34), rowBytes * image.Height);
        for (int y = 0; y < image.Height; y++)
        {
            ReadOnlySpan<byte> row = image.Row(image.Height - 1 - y);
            int at = 54 + y * rowBytes;
            for (int x = 0; x < image.Width; x++)
            {
                file[at + x * 3] = row[x * 4 + 2];
                file[at + x * 3 + 1] = row[x * 4 + 1];
                file[at + x * 3 + 2] = row[x * 4];
            }
        }

        return file;
    }

    /// <summary>A GIF89a of the gray frames (all the same size; the first is what a decoder shows).</summary>
    public static byte[] Gif(params GrayImage[] frames)
    {
        int width = frames[0].Width, height = frames[0].Height;
        using var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        WriteUInt16(gif, width);
        WriteUInt16(gif, height);
        gif.WriteByte(0xF7); // global colour table, 8 bits, 256 entries
        gif.WriteByte(0);
        gif.WriteByte(0);
        for (int i = 0; i < 256; i++)
        {
            gif.WriteByte((byte)i);
            gif.WriteByte((byte)i);
            gif.WriteByte((byte)i);
        }

        if (frames.Length > 1)
        {
            gif.Write([0x21, 0xFF, 11, .. Encoding.ASCII.GetBytes("NETSCAPE2.0"), 3, 1, 0, 0, 0]);
        }

        foreach (GrayImage frame in frames)
        {
            gif.Write([0x21, 0xF9, 4, 0x04, 10, 0, 0, 0]); // graphic control: keep the frame, 0.1 s
            gif.WriteByte(0x2C);
            WriteUInt16(gif, 0);
            WriteUInt16(gif, 0);
            WriteUInt16(gif, width);
            WriteUInt16(gif, height);
            gif.WriteByte(0);
            gif.WriteByte(8); // LZW minimum code size
            WriteSubBlocks(gif, UncompressedLzw(frame.Pixels));
        }

        gif.WriteByte(0x3B);
        return gif.ToArray();
    }

    /// <summary>A lossy WebP (quality 95) written by <see cref="ImageCodecs"/>.</summary>
    public static byte[] WebP(RgbaImage image) => ImageCodecs.Encode(image, ImageFileFormat.WebP, 95);

    // Every pixel a 9-bit literal code, a clear code (256) before each run of 250 so the code size never grows.
    private static byte[] UncompressedLzw(ReadOnlySpan<byte> pixels)
    {
        var output = new List<byte>(pixels.Length * 9 / 8 + 16);
        int buffer = 0, bits = 0;
        void Emit(int code)
        {
            buffer |= code << bits;
            bits += 9;
            while (bits >= 8)
            {
                output.Add((byte)buffer);
                buffer >>= 8;
                bits -= 8;
            }
        }

        for (int i = 0; i < pixels.Length; i++)
        {
            if (i % 250 == 0)
            {
                Emit(256);
            }

            Emit(pixels[i]);
        }

        Emit(257); // end of information
        if (bits > 0)
        {
            output.Add((byte)buffer);
        }

        return [.. output];
    }

    private static void WriteSubBlocks(Stream stream, byte[] data)
    {
        for (int at = 0; at < data.Length; at += 255)
        {
            int length = Math.Min(255, data.Length - at);
            stream.WriteByte((byte)length);
            stream.Write(data, at, length);
        }

        stream.WriteByte(0);
    }

    private static void WriteUInt16(Stream stream, int value)
    {
        stream.WriteByte((byte)value);
        stream.WriteByte((byte)(value >> 8));
    }
}
