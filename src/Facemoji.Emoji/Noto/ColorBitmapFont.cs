using System.Buffers.Binary;

namespace Facemoji.Emoji.Noto;

/// <summary>
/// Reads the colour bitmaps of an OpenType font with CBDT/CBLC tables (Noto Color Emoji): the cmap maps a
/// codepoint to a glyph, CBLC locates the glyph's bitmap in CBDT, and the bitmap is an embedded PNG that is
/// returned as is. No rasteriser: these fonts contain no outlines. Every offset is bounds-checked, so a
/// truncated or foreign file gives a <see cref="FacemojiException"/> naming the file, never a crash.
/// </summary>
public sealed class ColorBitmapFont
{
    private readonly byte[] data;
    private readonly string path;
    private readonly Dictionary<int, int> glyphOfCodepoint;
    private readonly Dictionary<int, (int Offset, int Length, int ImageFormat)> bitmapOfGlyph;

    private ColorBitmapFont(string path, byte[] data)
    {
        this.path = path;
        this.data = data;
        var tables = ReadTableDirectory();
        glyphOfCodepoint = ReadCmap(Table(tables, "cmap"));
        (bitmapOfGlyph, PixelsPerEm) = ReadCblc(Table(tables, "CBLC"), Table(tables, "CBDT"));
    }

    /// <summary>The ppem of the strike that is read (Noto Color Emoji has one, 109 ppem, 136x128 bitmaps).</summary>
    public int PixelsPerEm { get; }

    /// <summary>How many codepoints the cmap maps.</summary>
    public int CodepointCount => glyphOfCodepoint.Count;

    /// <summary>Opens a CBDT/CBLC font; a missing file or a font without colour bitmaps is a <see cref="FacemojiException"/>.</summary>
    public static ColorBitmapFont Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FacemojiException($"Emoji font '{path}' not found.");
        }

        return new ColorBitmapFont(path, File.ReadAllBytes(path));
    }

    /// <summary>Parses a font already in memory; <paramref name="name"/> names it in error messages.</summary>
    public static ColorBitmapFont Parse(byte[] data, string name) => new(name, data);

    /// <summary>The glyph id the cmap gives a codepoint, or null when the font lacks it.</summary>
    public int? GlyphOf(int codepoint) => glyphOfCodepoint.TryGetValue(codepoint, out int glyph) ? glyph : null;

    /// <summary>
    /// The embedded PNG of a codepoint's glyph, exactly the bytes stored in CBDT (image formats 17, 18, 19).
    /// </summary>
    public byte[] PngOf(int codepoint)
    {
        int glyph = GlyphOf(codepoint) ?? throw new FacemojiException($"Emoji font '{path}' has no glyph for U+{codepoint:X4}.");
        if (!bitmapOfGlyph.TryGetValue(glyph, out var bitmap))
        {
            throw new FacemojiException($"Emoji font '{path}' has no colour bitmap for U+{codepoint:X4} (glyph {glyph}).");
        }

        int offset = bitmap.Offset;
        int headerLength = bitmap.ImageFormat switch
        {
            17 => 5, // smallGlyphMetrics
            18 => 8, // bigGlyphMetrics
            19 => 0, // metrics live in CBLC
            _ => throw new FacemojiException($"Emoji font '{path}': glyph {glyph} uses CBDT image format {bitmap.ImageFormat}, not an embedded PNG (17, 18, 19)."),
        };
        int pngLength = (int)Math.Min(U32(offset + headerLength), int.MaxValue);
        int pngStart = offset + headerLength + 4;
        Check(pngStart, pngLength, $"PNG of glyph {glyph}");
        if (pngStart + pngLength > offset + bitmap.Length && bitmap.Length > 0)
        {
            throw Corrupt($"the PNG of glyph {glyph} overruns its CBLC extent");
        }

        return data.AsSpan(pngStart, pngLength).ToArray();
    }

    private Dictionary<string, (int Offset, int Length)> ReadTableDirectory()
    {
        Check(0, 12, "table directory");
        uint version = U32(0);
        if (version != 0x00010000 && version != 0x74727565 /* 'true' */)
        {
            throw Corrupt("it is not a TrueType/OpenType font (bad sfnt version)");
        }

        int count = U16(4);
        Check(12, count * 16, "table records");
        var tables = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            int record = 12 + i * 16;
            string tag = System.Text.Encoding.ASCII.GetString(data, record, 4);
            int offset = Int(U32(record + 8)), length = Int(U32(record + 12));
            Check(offset, length, $"table '{tag}'");
            tables[tag] = (offset, length);
        }

        return tables;
    }

    private (int Offset, int Length) Table(Dictionary<string, (int Offset, int Length)> tables, string tag) =>
        tables.TryGetValue(tag, out var table)
            ? table
            : throw new FacemojiException($"Emoji font '{path}' has no '{tag}' table: it is not a colour bitmap (CBDT/CBLC) font such as Noto Color Emoji.");

    private Dictionary<int, int> ReadCmap((int Offset, int Length) cmap)
    {
        int baseOffset = cmap.Offset;
        Check(baseOffset, 4, "cmap header");
        int count = U16(baseOffset + 2);
        Check(baseOffset + 4, count * 8, "cmap encoding records");
        int format12 = -1, format4 = -1;
        for (int i = 0; i < count; i++)
        {
            int record = baseOffset + 4 + i * 8;
            int platform = U16(record), encoding = U16(record + 2);
            int subtable = baseOffset + Int(U32(record + 4));
            Check(subtable, 2, "cmap subtable");
            int format = U16(subtable);
            bool unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
            if (unicode && format == 12)
            {
                format12 = subtable;
            }
            else if (unicode && format == 4)
            {
                format4 = subtable;
            }
        }

        var map = new Dictionary<int, int>();
        if (format12 >= 0)
        {
            // Format 12: sequential groups (startChar, endChar, startGlyph), covering the astral planes.
            Check(format12, 16, "cmap format 12 header");
            int groups = Int(U32(format12 + 12));
            Check(format12 + 16, groups * 12, "cmap format 12 groups");
            for (int g = 0; g < groups; g++)
            {
                int group = format12 + 16 + g * 12;
                uint start = U32(group), end = U32(group + 4), glyph = U32(group + 8);
                if (end < start || end > 0x10FFFF)
                {
                    throw Corrupt($"cmap group {g} has the range {start:X}..{end:X}");
                }

                for (uint c = start; c <= end; c++)
                {
                    map[(int)c] = (int)(glyph + (c - start));
                }
            }
        }
        else if (format4 >= 0)
        {
            ReadCmapFormat4(format4, map);
        }
        else
        {
            throw Corrupt("its cmap has no Unicode subtable of format 4 or 12");
        }

        return map;
    }

    private void ReadCmapFormat4(int subtable, Dictionary<int, int> map)
    {
        // Format 4: BMP segments with idDelta / idRangeOffset, for fonts without a format 12 table.
        Check(subtable, 14, "cmap format 4 header");
        int segments = U16(subtable + 6) / 2;
        int ends = subtable + 14, starts = ends + segments * 2 + 2, deltas = starts + segments * 2, ranges = deltas + segments * 2;
        Check(ends, segments * 8 + 2, "cmap format 4 segments");
        for (int s = 0; s < segments; s++)
        {
            int end = U16(ends + s * 2), start = U16(starts + s * 2);
            short delta = (short)U16(deltas + s * 2);
            int rangeOffset = U16(ranges + s * 2);
            for (int c = start; c <= end && c != 0xFFFF; c++)
            {
                int glyph;
                if (rangeOffset == 0)
                {
                    glyph = (c + delta) & 0xFFFF;
                }
                else
                {
                    int at = ranges + s * 2 + rangeOffset + (c - start) * 2;
                    Check(at, 2, "cmap format 4 glyph array");
                    glyph = U16(at);
                    glyph = glyph == 0 ? 0 : (glyph + delta) & 0xFFFF;
                }

                if (glyph != 0)
                {
                    map[c] = glyph;
                }
            }
        }
    }

    private (Dictionary<int, (int, int, int)> Bitmaps, int Ppem) ReadCblc((int Offset, int Length) cblc, (int Offset, int Length) cbdt)
    {
        Check(cblc.Offset, 8, "CBLC header");
        int sizes = Int(U32(cblc.Offset + 4));
        if (sizes == 0)
        {
            throw Corrupt("CBLC has no bitmap strikes");
        }

        Check(cblc.Offset + 8, sizes * 48, "CBLC BitmapSize records");

        // The largest strike: the best source for any display size.
        int best = 0;
        for (int s = 1; s < sizes; s++)
        {
            if (data[cblc.Offset + 8 + s * 48 + 45] > data[cblc.Offset + 8 + best * 48 + 45])
            {
                best = s;
            }
        }

        int size = cblc.Offset + 8 + best * 48;
        int arrayOffset = cblc.Offset + Int(U32(size));
        int subtableCount = Int(U32(size + 8));
        int ppem = data[size + 45];
        Check(arrayOffset, subtableCount * 8, "CBLC IndexSubTableArray");
        var bitmaps = new Dictionary<int, (int, int, int)>();
        for (int i = 0; i < subtableCount; i++)
        {
            int entry = arrayOffset + i * 8;
            int first = U16(entry), last = U16(entry + 2);
            int subtable = arrayOffset + Int(U32(entry + 4));
            Check(subtable, 8, "CBLC IndexSubTable header");
            int indexFormat = U16(subtable), imageFormat = U16(subtable + 2);
            int imageData = cbdt.Offset + Int(U32(subtable + 4));
            if (last < first)
            {
                throw Corrupt($"CBLC subtable {i} has glyphs {first}..{last}");
            }

            switch (indexFormat)
            {
                case 1:
                case 3:
                {
                    // Offsets per glyph (32-bit or 16-bit), one more than glyphs; a glyph's data runs to the next.
                    int width = indexFormat == 1 ? 4 : 2;
                    Check(subtable + 8, (last - first + 2) * width, "CBLC offset array");
                    for (int g = first; g <= last; g++)
                    {
                        int at = subtable + 8 + (g - first) * width;
                        int start = indexFormat == 1 ? Int(U32(at)) : U16(at);
                        int next = indexFormat == 1 ? Int(U32(at + width)) : U16(at + width);
                        if (next > start)
                        {
                            bitmaps[g] = (imageData + start, next - start, imageFormat);
                        }
                    }

                    break;
                }

                case 2:
                {
                    // Constant image size, glyphs contiguous.
                    Check(subtable + 8, 4, "CBLC format 2");
                    int imageSize = Int(U32(subtable + 8));
                    for (int g = first; g <= last; g++)
                    {
                        bitmaps[g] = (imageData + (g - first) * imageSize, imageSize, imageFormat);
                    }

                    break;
                }

                case 4:
                {
                    // Sparse: (glyph, offset) pairs, one extra pair closing the last glyph.
                    Check(subtable + 8, 4, "CBLC format 4");
                    int glyphs = Int(U32(subtable + 8));
                    Check(subtable + 12, (glyphs + 1) * 4, "CBLC format 4 glyph array");
                    for (int k = 0; k < glyphs; k++)
                    {
                        int at = subtable + 12 + k * 4;
                        int glyph = U16(at), start = U16(at + 2), next = U16(at + 6);
                        bitmaps[glyph] = (imageData + start, next - start, imageFormat);
                    }

                    break;
                }

                case 5:
                {
                    // Constant size, sparse glyph ids.
                    Check(subtable + 8, 4 + 8 + 4, "CBLC format 5");
                    int imageSize = Int(U32(subtable + 8));
                    int glyphs = Int(U32(subtable + 20));
                    Check(subtable + 24, glyphs * 2, "CBLC format 5 glyph ids");
                    for (int k = 0; k < glyphs; k++)
                    {
                        bitmaps[U16(subtable + 24 + k * 2)] = (imageData + k * imageSize, imageSize, imageFormat);
                    }

                    break;
                }

                default:
                    throw Corrupt($"CBLC index format {indexFormat} is unknown");
            }
        }

        return (bitmaps, ppem);
    }

    private int U16(int offset)
    {
        Check(offset, 2, "a 16-bit field");
        return BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(offset, 2));
    }

    private uint U32(int offset)
    {
        Check(offset, 4, "a 32-bit field");
        return BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset, 4));
    }

    private int Int(uint value) => value <= int.MaxValue ? (int)value : throw Corrupt($"an offset {value} is out of range");

    private void Check(long offset, long length, string what)
    {
        if (offset < 0 || length < 0 || offset + length > data.Length)
        {
            throw Corrupt($"{what} at byte {offset} (+{length}) lies outside the {data.Length}-byte file");
        }
    }

    private FacemojiException Corrupt(string problem) => new($"Emoji font '{path}' is damaged or not a colour bitmap font: {problem}.");
}
