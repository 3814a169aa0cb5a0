using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Facemoji.Imaging.Tests.Fuzzing;

/// <summary>
/// Issue 14: a 777 KB PNG claiming 10000x10000 16-bit RGBA was inside the pixel limit and took the CLI to 3 GB.
/// A decode is now refused by its cost in bytes, from the header, before the pixel buffer exists.
/// </summary>
public class DecodeBudgetTests
{
    [Fact(Timeout = 60_000)]
    public async Task A_valid_16_bit_png_over_the_byte_budget_is_refused_before_allocating()
    {
        // 7300x7300: 53 megapixels, under the 100-megapixel limit, but 203 MiB as RGBA.
        byte[] png = await Task.Run(() => ZeroPng(7300, 7300, bitDepth: 16));
        png.Length.Should().BeLessThan(8 << 20, "the point is a small file for a huge picture");

        long before = GC.GetAllocatedBytesForCurrentThread();
        var decode = () => ImageCodecs.Decode(png, "crafted.png");
        decode.Should().Throw<ImageFormatException>().Which.Message.Should().Contain("crafted.png").And.Contain("memory budget");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(8L << 20, "refused before the output buffer");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_16_bit_png_inside_the_budget_decodes()
    {
        byte[] png = await Task.Run(() => ZeroPng(300, 200, bitDepth: 16));
        RgbaImage image = ImageCodecs.Decode(png, "small.png");
        (image.Width, image.Height).Should().Be((300, 200));
        ImageLimits.CheckDecodeBytes(7000L * 7000 * 4, 7000, 7000, "49 MP");
    }

    /// <summary>An all-zero RGBA PNG with real compressed data (filter byte 0, zero samples).</summary>
    private static byte[] ZeroPng(int width, int height, int bitDepth)
    {
        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true))
        {
            byte[] row = new byte[1 + width * 4 * bitDepth / 8];
            for (int y = 0; y < height; y++)
            {
                z.Write(row);
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        byte[] ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = 6;
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", idat.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        stream.Write(number);
        byte[] typeAndData = [.. Encoding.ASCII.GetBytes(type), .. data];
        stream.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(number, Facemoji.Imaging.Tests.Support.PngBytes.Crc(typeAndData));
        stream.Write(number);
    }
}
