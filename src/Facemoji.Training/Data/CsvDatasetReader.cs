using System.Text;
using Facemoji.Engine;
using Facemoji.Expressions;

namespace Facemoji.Training.Data;

/// <summary>
/// Reads the Kaggle FER2013 CSV: <c>emotion,pixels,Usage</c>, one face per row, the pixels as 2,304
/// space-separated gray values 0..255, Usage one of Training / PublicTest / PrivateTest. The Usage column is
/// optional (the file is then one split, "all"); columns are found by their header names, in any order. A
/// file without a header is read as emotion,pixels[,Usage].
/// Hand-written rather than CsvHelper because the file is 300 MB of digits: one pass over the bytes, no
/// strings per value, about 10x faster.
/// </summary>
internal static class CsvDatasetReader
{
    public static DatasetSplits Read(string path, bool skipBad, SkippedRecords skipped)
    {
        byte[] bytes = ReadAllBytes(path);
        return Parse(bytes, path, skipBad, skipped);
    }

    /// <summary>The largest CSV read: one byte array (FER2013's is 300 MB).</summary>
    private const long MaxFileBytes = 2_000_000_000;

    internal static byte[] ReadAllBytes(string path)
    {
        if (!File.Exists(path))
        {
            throw new FacemojiException($"{path}: no such file.");
        }

        try
        {
            return BoundedFile.ReadAllBytes(path, MaxFileBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FacemojiException($"{path}: cannot read the file ({e.Message}).", e);
        }
    }

    /// <summary>Parses CSV bytes; <paramref name="name"/> is the file name used in messages.</summary>
    public static DatasetSplits Parse(ReadOnlySpan<byte> bytes, string name, bool skipBad, SkippedRecords skipped)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        int lineNumber = 0;
        int position = 0;
        Columns columns = default;
        bool columnsKnown = false;
        var builders = new Dictionary<string, DatasetBuilder>(StringComparer.Ordinal);
        Span<Range> fields = stackalloc Range[MaxColumns];

        while (position < bytes.Length)
        {
            int end = bytes[position..].IndexOf((byte)'\n');
            int lineEnd = end < 0 ? bytes.Length : position + end;
            var line = bytes[position..lineEnd];
            position = lineEnd + 1;
            lineNumber++;
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (line.IsEmpty || line.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0)
            {
                continue;
            }

            int fieldCount = SplitFields(line, fields);
            if (!columnsKnown)
            {
                columnsKnown = true;
                if (fieldCount > MaxColumns)
                {
                    throw new FacemojiException($"{name} line {lineNumber}: {fieldCount} columns; a FER2013 CSV has emotion, pixels and Usage.");
                }

                if (TryReadHeader(line, fields[..Math.Min(fieldCount, fields.Length)], name, out columns))
                {
                    continue;
                }

                // No header: the Kaggle order.
                columns = new Columns(0, 1, fieldCount >= 3 ? 2 : -1, Math.Max(fieldCount, 2));
            }

            string? problem = ParseRow(line, fields, fieldCount, columns, builders, out _);
            if (problem is not null)
            {
                string message = $"{name} line {lineNumber}: {problem}";
                if (!skipBad)
                {
                    throw new FacemojiException(message + " (use --skip-bad to skip bad rows)");
                }

                skipped.Add(message);
            }
        }

        if (builders.Values.Sum(b => b.Count) == 0)
        {
            throw new FacemojiException(skipped.Count > 0
                ? $"{name}: every row is bad ({skipped.Count} skipped; first: {skipped.Examples[0]})."
                : $"{name}: holds no images (an empty dataset).");
        }

        return new DatasetSplits(name, builders.ToDictionary(kv => kv.Key, kv => kv.Value.Build($"{kv.Key} split of {name}")));
    }

    private const int MaxColumns = 16;

    private readonly record struct Columns(int Emotion, int Pixels, int Usage, int Expected);

    private static bool TryReadHeader(ReadOnlySpan<byte> line, ReadOnlySpan<Range> fields, string name, out Columns columns)
    {
        int emotion = -1, pixels = -1, usage = -1;

        // A data row starts with its emotion code; anything else in the first field is a header.
        bool isHeader = fields.Length > 0 && !TryParseSmallInt(Trim(Unquote(line[fields[0]])), out _);
        for (int i = 0; i < fields.Length; i++)
        {
            string field = Encoding.UTF8.GetString(Unquote(line[fields[i]])).Trim();
            switch (field.ToLowerInvariant())
            {
                case "emotion" or "label" or "emotion_code": emotion = i; break;
                case "pixels" or "pixel": pixels = i; break;
                case "usage" or "split": usage = i; break;
            }
        }

        columns = new Columns(emotion, pixels, usage, fields.Length);
        if (!isHeader)
        {
            return false;
        }

        if (emotion < 0 || pixels < 0)
        {
            throw new FacemojiException($"{name} line 1: the header must name the columns 'emotion' and 'pixels' (and optionally 'Usage'), found '{Shorten(Encoding.UTF8.GetString(line))}'.");
        }

        return true;
    }

    private static string? ParseRow(ReadOnlySpan<byte> line, Span<Range> fields, int fieldCount, Columns columns, Dictionary<string, DatasetBuilder> builders, out bool added)
    {
        added = false;
        if (fieldCount != columns.Expected)
        {
            return $"expected {columns.Expected} fields, found {fieldCount}";
        }

        var emotionField = Trim(Unquote(line[fields[columns.Emotion]]));
        if (!TryParseSmallInt(emotionField, out int code) || code < 0 || code >= EmotionNames.Count)
        {
            return $"unknown emotion code '{Encoding.UTF8.GetString(emotionField)}' (expected 0..{EmotionNames.Count - 1}: {string.Join(", ", EmotionNames.Canonical.Select((n, i) => $"{i}={n}"))})";
        }

        string split = DatasetSplits.All;
        if (columns.Usage >= 0)
        {
            var usageField = Trim(Unquote(line[fields[columns.Usage]]));
            string usage = Encoding.UTF8.GetString(usageField);
            string? usageSplit = DatasetSplits.Canonicalize(usage);
            if (usageSplit is null or DatasetSplits.All)
            {
                return $"unknown Usage '{usage}' (expected Training, PublicTest or PrivateTest)";
            }

            split = usageSplit;
        }

        if (!builders.TryGetValue(split, out var builder))
        {
            builder = new DatasetBuilder();
            builders[split] = builder;
        }

        var target = builder.NextImage();
        string? problem = ParsePixels(Unquote(line[fields[columns.Pixels]]), target);
        if (problem is not null)
        {
            return problem;
        }

        builder.Commit((byte)code);
        added = true;
        return null;
    }

    /// <summary>Space-separated values 0..255 into exactly 2,304 bytes.</summary>
    private static string? ParsePixels(ReadOnlySpan<byte> text, Span<byte> target)
    {
        int count = 0;
        int i = 0;
        while (true)
        {
            while (i < text.Length && (text[i] == (byte)' ' || text[i] == (byte)'\t'))
            {
                i++;
            }

            if (i >= text.Length)
            {
                break;
            }

            int start = i;
            int value = 0;
            while (i < text.Length && text[i] != (byte)' ' && text[i] != (byte)'\t')
            {
                int digit = text[i] - '0';
                if ((uint)digit > 9 || i - start >= 4)
                {
                    while (i < text.Length && text[i] != (byte)' ')
                    {
                        i++;
                    }

                    return $"pixel {count + 1} is '{Encoding.UTF8.GetString(text[start..i])}', not a gray value 0..255";
                }

                value = value * 10 + digit;
                i++;
            }

            if (value > 255)
            {
                return $"pixel {count + 1} is {value}, out of range 0..255";
            }

            if (count < target.Length)
            {
                target[count] = (byte)value;
            }

            count++;
        }

        return count == target.Length ? null : $"expected {target.Length} pixel values, found {count}";
    }

    /// <summary>Splits on commas outside double quotes; returns the field count (fields beyond the span are counted, not stored).</summary>
    private static int SplitFields(ReadOnlySpan<byte> line, Span<Range> fields)
    {
        int count = 0;
        int start = 0;
        bool quoted = false;
        for (int i = 0; i <= line.Length; i++)
        {
            if (i == line.Length || (line[i] == (byte)',' && !quoted))
            {
                if (count < fields.Length)
                {
                    fields[count] = new Range(start, i);
                }

                count++;
                start = i + 1;
            }
            else if (line[i] == (byte)'"')
            {
                quoted = !quoted;
            }
        }

        return count;
    }

    private static ReadOnlySpan<byte> Unquote(ReadOnlySpan<byte> field)
    {
        field = Trim(field);
        return field.Length >= 2 && field[0] == (byte)'"' && field[^1] == (byte)'"' ? field[1..^1] : field;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> field) => field.Trim((byte)' ');

    private static bool TryParseSmallInt(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 6)
        {
            return false;
        }

        foreach (byte b in text)
        {
            int digit = b - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = value * 10 + digit;
        }

        return true;
    }
}
