using System.Buffers.Binary;
using System.IO.Compression;
using Facemoji.Imaging.Processing;

namespace Facemoji.Imaging.Formats.Png;

/// <summary>
/// A managed PNG decoder: every colour type and bit depth of the standard, PLTE and tRNS, Adam7 interlacing,
/// all five filters, chunk CRCs checked, inflate by <see cref="ZLibStream"/>. 16-bit samples become 8-bit as
/// round(v * 255 / 65535); 1/2/4-bit gray is scaled to 0..255. Errors are <see cref="ImageFormatException"/>s.
/// </summary>
public static class PngDecoder
{
    // The most deflate can expand: a 258-byte match coded in 2 bits. A claimed size beyond this is a lie
    // (truncated or corrupt data), caught before the pixel buffer is allocated.
    private const long MaxInflateRatio = 1032;

    private static readonly (int X0, int Y0, int Dx, int Dy)[] Adam7Passes =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    public static bool IsPng(ReadOnlySpan<byte> data) => data.StartsWith(PngHeader.Signature);

    /// <summary>Reads only the header: size, colour type, depth (limits checked).</summary>
    public static PngHeader ReadHeader(ReadOnlySpan<byte> data, string source)
    {
        CheckSignature(data, source);
        if (data.Length < 33 || !data.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            throw new ImageFormatException(source, "corrupt PNG: the IHDR chunk does not come first");
        }

        return PngHeader.Parse(data.Slice(16, 13), source);
    }

    /// <summary>Decodes to 8-bit RGBA.</summary>
    public static RgbaImage Decode(ReadOnlySpan<byte> data, string source)
    {
        var contents = Parse(data, source);
        CheckBudget(contents, 4, source);
        var image = new RgbaImage(contents.Header.Width, contents.Header.Height);
        DecodePixels(contents, image.Pixels, 4, source);
        return image;
    }

    /// <summary>
    /// Decodes straight to 8-bit gray: gray PNGs directly, colour through the BT.601 weights of
    /// <see cref="GrayWeights"/> (as OpenCV's cvtColor). Alpha is ignored, as cvtColor RGBA2GRAY does.
    /// </summary>
    public static GrayImage DecodeGray(ReadOnlySpan<byte> data, string source)
    {
        var contents = Parse(data, source);
        CheckBudget(contents, 1, source);
        var image = new GrayImage(contents.Header.Width, contents.Header.Height);
        DecodePixels(contents, image.Pixels, 1, source);
        return image;
    }

    // Output, the compressed copy, two scanlines at the file's own depth (8 bytes a pixel for 16-bit RGBA) and the
    // interlace row: all of it counted before the output is allocated.
    private static void CheckBudget(Contents contents, int channels, string source)
    {
        PngHeader h = contents.Header;
        long bytes = (long)h.Width * h.Height * channels + contents.Compressed.Length + 2 * (h.RowBytes(h.Width) + 1) + (h.Interlaced ? (long)h.Width * channels : 0);
        ImageLimits.CheckDecodeBytes(bytes, h.Width, h.Height, source);
    }

    private static void CheckSignature(ReadOnlySpan<byte> data, string source)
    {
        if (!IsPng(data))
        {
            throw new ImageFormatException(source, "not a PNG file (the PNG signature is missing)");
        }
    }

    private static Contents Parse(ReadOnlySpan<byte> data, string source)
    {
        CheckSignature(data, source);
        var contents = new Contents();
        bool seenHeader = false, seenEnd = false, seenData = false, dataEnded = false;
        var idatRanges = new List<(int Offset, int Length)>();
        long idatTotal = 0;
        int position = 8;
        while (!seenEnd)
        {
            if (data.Length - position < 12)
            {
                throw new ImageFormatException(source, seenData
                    ? "truncated PNG: the file ends before the IEND chunk"
                    : "truncated PNG: the file ends before any image data");
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(data[position..]);
            ReadOnlySpan<byte> type = data.Slice(position + 4, 4);
            string typeName = ChunkName(type);
            if (length > int.MaxValue || length > data.Length - position - 12)
            {
                throw new ImageFormatException(source, $"truncated PNG: the {typeName} chunk at byte {position} claims {length} bytes but the file ends first");
            }

            ReadOnlySpan<byte> payload = data.Slice(position + 8, (int)length);
            uint storedCrc = BinaryPrimitives.ReadUInt32BigEndian(data[(position + 8 + (int)length)..]);
            if (Crc32.Compute(data.Slice(position + 4, 4 + (int)length)) != storedCrc)
            {
                throw new ImageFormatException(source, $"corrupt PNG: CRC mismatch in the {typeName} chunk at byte {position}");
            }

            if (!seenHeader && !type.SequenceEqual("IHDR"u8))
            {
                throw new ImageFormatException(source, "corrupt PNG: the IHDR chunk does not come first");
            }

            if (seenData && !dataEnded && !type.SequenceEqual("IDAT"u8))
            {
                dataEnded = true;
            }

            switch (typeName)
            {
                case "IHDR":
                    if (seenHeader)
                    {
                        throw new ImageFormatException(source, "corrupt PNG: two IHDR chunks");
                    }

                    contents.Header = PngHeader.Parse(payload, source);
                    seenHeader = true;
                    break;
                case "PLTE":
                    ParsePalette(contents, payload, source);
                    break;
                case "tRNS":
                    ParseTransparency(contents, payload, source);
                    break;
                case "IDAT":
                    if (dataEnded)
                    {
                        throw new ImageFormatException(source, "corrupt PNG: IDAT chunks are not consecutive");
                    }

                    if (contents.Header.ColorType == PngColorType.Palette && contents.PaletteCount == 0)
                    {
                        throw new ImageFormatException(source, "corrupt PNG: palette image without a PLTE chunk before its data");
                    }

                    seenData = true;
                    idatRanges.Add((position + 8, (int)length));
                    idatTotal += length;
                    break;
                case "IEND":
                    seenEnd = true;
                    break;
                default:
                    // Upper-case first letter: a critical chunk we would have to understand to draw the image.
                    if ((type[0] & 0x20) == 0)
                    {
                        throw new ImageFormatException(source, $"unsupported PNG: unknown critical chunk {typeName}");
                    }

                    break;
            }

            position += 12 + (int)length;
        }

        if (!seenData)
        {
            throw new ImageFormatException(source, "corrupt PNG: no IDAT chunk (no image data)");
        }

        long rawBytes = RawDataBytes(contents.Header);
        if (rawBytes > idatTotal * MaxInflateRatio + 1024)
        {
            throw new ImageFormatException(source, $"corrupt PNG: {idatTotal} bytes of compressed data cannot hold a {contents.Header.Width}x{contents.Header.Height} image");
        }

        var compressed = new byte[idatTotal];
        int offset = 0;
        foreach (var (start, count) in idatRanges)
        {
            data.Slice(start, count).CopyTo(compressed.AsSpan(offset));
            offset += count;
        }

        contents.Compressed = compressed;
        return contents;
    }

    private static string ChunkName(ReadOnlySpan<byte> type)
    {
        Span<char> chars = stackalloc char[4];
        for (int i = 0; i < 4; i++)
        {
            byte b = type[i];
            chars[i] = (b is >= (byte)'A' and <= (byte)'Z') || (b is >= (byte)'a' and <= (byte)'z') ? (char)b : '?';
        }

        return new string(chars);
    }

    private static void ParsePalette(Contents contents, ReadOnlySpan<byte> payload, string source)
    {
        if (payload.Length == 0 || payload.Length % 3 != 0 || payload.Length > 256 * 3)
        {
            throw new ImageFormatException(source, $"corrupt PNG: PLTE chunk of {payload.Length} bytes (must be 3 to 768, a multiple of 3)");
        }

        contents.PaletteCount = payload.Length / 3;
        for (int i = 0; i < contents.PaletteCount; i++)
        {
            contents.Palette[i * 4] = payload[i * 3];
            contents.Palette[i * 4 + 1] = payload[i * 3 + 1];
            contents.Palette[i * 4 + 2] = payload[i * 3 + 2];
        }
    }

    private static void ParseTransparency(Contents contents, ReadOnlySpan<byte> payload, string source)
    {
        switch (contents.Header.ColorType)
        {
            case PngColorType.Gray when payload.Length == 2:
                contents.TransparentGray = BinaryPrimitives.ReadUInt16BigEndian(payload);
                break;
            case PngColorType.Rgb when payload.Length == 6:
                contents.TransparentRgb = (BinaryPrimitives.ReadUInt16BigEndian(payload), BinaryPrimitives.ReadUInt16BigEndian(payload[2..]), BinaryPrimitives.ReadUInt16BigEndian(payload[4..]));
                break;
            case PngColorType.Palette when payload.Length <= 256:
                for (int i = 0; i < payload.Length; i++)
                {
                    contents.Palette[i * 4 + 3] = payload[i];
                }

                break;
            case PngColorType.GrayAlpha or PngColorType.Rgba:
                break; // not allowed with an alpha channel; harmless, ignored as libpng does
            default:
                throw new ImageFormatException(source, $"corrupt PNG: tRNS chunk of {payload.Length} bytes does not fit colour type {contents.Header.ColorType}");
        }
    }

    private static long RawDataBytes(PngHeader header)
    {
        if (!header.Interlaced)
        {
            return (header.RowBytes(header.Width) + 1) * header.Height;
        }

        long total = 0;
        foreach (var (x0, y0, dx, dy) in Adam7Passes)
        {
            int pw = PassSize(header.Width, x0, dx), ph = PassSize(header.Height, y0, dy);
            if (pw > 0 && ph > 0)
            {
                total += (header.RowBytes(pw) + 1) * ph;
            }
        }

        return total;
    }

    private static int PassSize(int size, int start, int step) => size > start ? (size - start + step - 1) / step : 0;

    /// <summary>Inflates, unfilters and converts every pass into <paramref name="output"/> (width*height*channels, channels 4 = RGBA or 1 = gray).</summary>
    private static void DecodePixels(Contents contents, byte[] output, int channels, string source)
    {
        PngHeader header = contents.Header;
        var passes = header.Interlaced ? Adam7Passes : [(0, 0, 1, 1)];
        int stride = header.FilterStride;
        int maxRowBytes = (int)header.RowBytes(header.Width);
        byte[] current = new byte[maxRowBytes + 1];
        byte[] prior = new byte[maxRowBytes + 1];
        byte[] expanded = header.Interlaced ? new byte[header.Width * channels] : [];
        var converter = new RowConverter(contents, channels);
        try
        {
            using var inflater = new ZLibStream(new MemoryStream(contents.Compressed, writable: false), CompressionMode.Decompress);
            foreach (var (x0, y0, dx, dy) in passes)
            {
                int pw = PassSize(header.Width, x0, dx), ph = PassSize(header.Height, y0, dy);
                if (pw == 0 || ph == 0)
                {
                    continue;
                }

                int rowBytes = (int)header.RowBytes(pw);
                Array.Clear(prior);
                for (int j = 0; j < ph; j++)
                {
                    Span<byte> line = current.AsSpan(0, rowBytes + 1);
                    if (inflater.ReadAtLeast(line, line.Length, throwOnEndOfStream: false) != line.Length)
                    {
                        throw new ImageFormatException(source, "truncated PNG: the compressed image data ends early");
                    }

                    Span<byte> row = line[1..];
                    if (!PngFilters.Unfilter(line[0], row, prior.AsSpan(1, rowBytes), stride))
                    {
                        throw new ImageFormatException(source, $"corrupt PNG: unknown filter type {line[0]}");
                    }

                    int y = y0 + j * dy;
                    if (dx == 1)
                    {
                        converter.Convert(row, output.AsSpan(y * header.Width * channels, header.Width * channels), pw);
                    }
                    else
                    {
                        converter.Convert(row, expanded, pw);
                        Scatter(expanded, output, y * header.Width + x0, dx, pw, channels);
                    }

                    (current, prior) = (prior, current);
                }
            }

            // Reading past the end makes zlib verify its Adler-32 checksum.
            Span<byte> probe = stackalloc byte[1];
            _ = inflater.Read(probe);
        }
        catch (InvalidDataException e)
        {
            throw new ImageFormatException(source, $"corrupt PNG: the compressed image data is damaged ({e.Message})", e);
        }
    }

    private static void Scatter(byte[] expanded, byte[] output, int firstPixel, int dx, int count, int channels)
    {
        if (channels == 4)
        {
            for (int i = 0; i < count; i++)
            {
                expanded.AsSpan(i * 4, 4).CopyTo(output.AsSpan((firstPixel + i * dx) * 4, 4));
            }
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                output[firstPixel + i * dx] = expanded[i];
            }
        }
    }

    private sealed class Contents
    {
        public PngHeader Header;
        public readonly byte[] Palette = CreatePalette();
        public int PaletteCount;
        public int TransparentGray = -1;
        public (int R, int G, int B)? TransparentRgb;
        public byte[] Compressed = [];

        // Indices beyond PLTE draw opaque black, as browsers do, instead of failing.
        private static byte[] CreatePalette()
        {
            var palette = new byte[256 * 4];
            for (int i = 3; i < palette.Length; i += 4)
            {
                palette[i] = 255;
            }

            return palette;
        }
    }

    /// <summary>Turns one unfiltered scanline into 8-bit RGBA or gray pixels.</summary>
    private readonly struct RowConverter
    {
        private readonly PngHeader header;
        private readonly byte[] palette;
        private readonly byte[] paletteGray;
        private readonly int transparentGray;
        private readonly (int R, int G, int B)? transparentRgb;
        private readonly bool toGray;

        public RowConverter(Contents contents, int channels)
        {
            header = contents.Header;
            palette = contents.Palette;
            transparentGray = contents.TransparentGray;
            transparentRgb = contents.TransparentRgb;
            toGray = channels == 1;
            paletteGray = new byte[256];
            for (int i = 0; i < 256; i++)
            {
                paletteGray[i] = GrayWeights.Luma(palette[i * 4], palette[i * 4 + 1], palette[i * 4 + 2]);
            }
        }

        public void Convert(ReadOnlySpan<byte> row, Span<byte> output, int count)
        {
            if (toGray)
            {
                ConvertToGray(row, output, count);
            }
            else
            {
                ConvertToRgba(row, output, count);
            }
        }

        private static int Sample(ReadOnlySpan<byte> row, int index, int depth)
        {
            switch (depth)
            {
                case 8:
                    return row[index];
                case 16:
                    return row[index * 2] << 8 | row[index * 2 + 1];
                default:
                    int bit = index * depth;
                    return (row[bit >> 3] >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
            }
        }

        private static byte To8(int sample, int depth) => depth switch
        {
            8 => (byte)sample,
            16 => (byte)((sample * 255 + 32767) / 65535),
            _ => (byte)(sample * 255 / ((1 << depth) - 1)),
        };

        private void ConvertToRgba(ReadOnlySpan<byte> row, Span<byte> output, int count)
        {
            int depth = header.BitDepth;
            switch (header.ColorType)
            {
                case PngColorType.Gray when depth == 8 && transparentGray < 0:
                    for (int i = 0; i < count; i++)
                    {
                        byte g = row[i];
                        output[i * 4] = output[i * 4 + 1] = output[i * 4 + 2] = g;
                        output[i * 4 + 3] = 255;
                    }

                    break;
                case PngColorType.Gray:
                    for (int i = 0; i < count; i++)
                    {
                        int s = Sample(row, i, depth);
                        byte g = To8(s, depth);
                        output[i * 4] = output[i * 4 + 1] = output[i * 4 + 2] = g;
                        output[i * 4 + 3] = s == transparentGray ? (byte)0 : (byte)255;
                    }

                    break;
                case PngColorType.Rgb when depth == 8 && transparentRgb is null:
                    for (int i = 0, j = 0; i < count; i++, j += 3)
                    {
                        output[i * 4] = row[j];
                        output[i * 4 + 1] = row[j + 1];
                        output[i * 4 + 2] = row[j + 2];
                        output[i * 4 + 3] = 255;
                    }

                    break;
                case PngColorType.Rgb:
                    var key = transparentRgb ?? (-1, -1, -1);
                    for (int i = 0; i < count; i++)
                    {
                        int r = Sample(row, i * 3, depth), g = Sample(row, i * 3 + 1, depth), b = Sample(row, i * 3 + 2, depth);
                        output[i * 4] = To8(r, depth);
                        output[i * 4 + 1] = To8(g, depth);
                        output[i * 4 + 2] = To8(b, depth);
                        output[i * 4 + 3] = r == key.R && g == key.G && b == key.B ? (byte)0 : (byte)255;
                    }

                    break;
                case PngColorType.Palette:
                    for (int i = 0; i < count; i++)
                    {
                        palette.AsSpan(Sample(row, i, depth) * 4, 4).CopyTo(output.Slice(i * 4, 4));
                    }

                    break;
                case PngColorType.GrayAlpha:
                    for (int i = 0; i < count; i++)
                    {
                        byte g = To8(Sample(row, i * 2, depth), depth);
                        output[i * 4] = output[i * 4 + 1] = output[i * 4 + 2] = g;
                        output[i * 4 + 3] = To8(Sample(row, i * 2 + 1, depth), depth);
                    }

                    break;
                default:
                    if (depth == 8)
                    {
                        row[..(count * 4)].CopyTo(output);
                    }
                    else
                    {
                        for (int i = 0; i < count * 4; i++)
                        {
                            output[i] = To8(Sample(row, i, 16), 16);
                        }
                    }

                    break;
            }
        }

        private void ConvertToGray(ReadOnlySpan<byte> row, Span<byte> output, int count)
        {
            int depth = header.BitDepth;
            switch (header.ColorType)
            {
                case PngColorType.Gray:
                    if (depth == 8)
                    {
                        row[..count].CopyTo(output);
                        break;
                    }

                    for (int i = 0; i < count; i++)
                    {
                        output[i] = To8(Sample(row, i, depth), depth);
                    }

                    break;
                case PngColorType.GrayAlpha:
                    for (int i = 0; i < count; i++)
                    {
                        output[i] = To8(Sample(row, i * 2, depth), depth);
                    }

                    break;
                case PngColorType.Palette:
                    for (int i = 0; i < count; i++)
                    {
                        output[i] = paletteGray[Sample(row, i, depth)];
                    }

                    break;
                default:
                    int step = header.Channels;
                    for (int i = 0; i < count; i++)
                    {
                        int at = i * step;
                        output[i] = depth == 8
                            ? GrayWeights.Luma(row[at], row[at + 1], row[at + 2])
                            : GrayWeights.Luma(To8(Sample(row, at, 16), 16), To8(Sample(row, at + 1, 16), 16), To8(Sample(row, at + 2, 16), 16));
                    }

                    break;
            }
        }
    }
}
