using System.Text;
using System.Text.Json;
using Facemoji.Engine;
using Facemoji.Expressions;

namespace Facemoji.Pipeline.Batch;

/// <summary>
/// <c>facemoji merge SHARD.jsonl… -o ALL.jsonl</c>: joins the results files of a batch's shards into one, sorted by
/// <c>"file"</c>, and sums them up. The same input in two files is kept once when the lines agree and refused when
/// they do not; a file whose last line was cut short (a shard killed and not resumed) is refused with that advice.
/// </summary>
public static class BatchMerge
{
    /// <param name="shardFiles">The shards' results files.</param>
    /// <param name="outputPath">The merged JSONL, sorted by input.</param>
    /// <param name="summaryPath">Also write the summary as JSON here; null for none.</param>
    public static MergeSummary Run(IReadOnlyList<string> shardFiles, string outputPath, string? summaryPath = null)
    {
        if (shardFiles.Count == 0)
        {
            throw new FacemojiException("merge: name at least one results file");
        }

        OutputFile.Check(outputPath);
        if (summaryPath is not null)
        {
            // Checked before any work: --summary naming a shard or the merged file overwrote it with the summary.
            OutputFile.Check(summaryPath);
            string fullSummary = Path.GetFullPath(summaryPath);
            if (fullSummary == Path.GetFullPath(outputPath) || shardFiles.Any(f => Path.GetFullPath(f) == fullSummary))
            {
                throw new FacemojiException($"--summary {summaryPath}: would overwrite the merged file or one of its inputs; name another file");
            }
        }

        var lines = new SortedDictionary<string, (string Line, string Source)>(StringComparer.Ordinal);
        foreach (string path in shardFiles)
        {
            foreach (var (number, line) in ReadLines(path))
            {
                string file = JsonlResults.FileOf(line)
                    ?? throw new FacemojiException($"{path} line {number}: not a results line (a JSON object with a \"file\")");
                if (lines.TryGetValue(file, out var seen))
                {
                    if (seen.Line != line)
                    {
                        throw new FacemojiException($"{path} line {number}: {file} has a different result in {seen.Source}; rerun one of the shards");
                    }

                    continue;
                }

                lines[file] = (line, path);
            }
        }

        if (Path.GetFullPath(outputPath) is var full && shardFiles.Any(f => Path.GetFullPath(f) == full))
        {
            throw new FacemojiException($"{outputPath}: the merged file would overwrite one of its inputs");
        }

        WriteAtomically(outputPath, lines.Values.Select(v => v.Line));
        var summary = Summarize(lines.Values.Select(v => v.Line));
        if (summaryPath is not null)
        {
            WriteAtomically(summaryPath, [summary.ToJson()]);
        }

        return summary;
    }

    /// <summary>Lines written beside the target and renamed over it, so a failed merge leaves no half file.</summary>
    private static void WriteAtomically(string path, IEnumerable<string> lines)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        Directory.CreateDirectory(folder!);
        string temp = Path.Combine(folder!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var writer = new StreamWriter(temp, append: false, new UTF8Encoding(false)))
            {
                writer.NewLine = "\n";
                foreach (string line in lines)
                {
                    writer.WriteLine(line);
                }
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Counts inputs, faces, emotions and failures in results lines (photos' or videos').</summary>
    public static MergeSummary Summarize(IEnumerable<string> lines)
    {
        var emotions = EmotionNames.Canonical.ToDictionary(n => n, _ => 0L);
        var failures = new List<(string, string)>();
        int inputs = 0;
        long faces = 0;
        foreach (string line in lines)
        {
            inputs++;
            using var document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            string file = root.GetProperty("file").GetString()!;
            if (root.TryGetProperty("error", out JsonElement error))
            {
                failures.Add((file, error.GetString() ?? ""));
                continue;
            }

            if (root.TryGetProperty("emotions", out JsonElement counts) && counts.ValueKind == JsonValueKind.Object)
            {
                // A video: face-frames per emotion.
                faces += root.TryGetProperty("faces", out JsonElement seen) && seen.ValueKind == JsonValueKind.Number ? seen.GetInt64() : 0;
                foreach (JsonProperty count in counts.EnumerateObject())
                {
                    if (emotions.ContainsKey(count.Name) && count.Value.ValueKind == JsonValueKind.Number)
                    {
                        emotions[count.Name] += count.Value.GetInt64();
                    }
                }
            }
            else if (root.TryGetProperty("faces", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
            {
                // A photo: one reading per face.
                foreach (JsonElement face in list.EnumerateArray())
                {
                    faces++;
                    if (face.TryGetProperty("emotion", out JsonElement emotion) && emotion.GetString() is { } name && emotions.TryGetValue(name, out long count))
                    {
                        emotions[name] = count + 1;
                    }
                }
            }
        }

        return new MergeSummary(inputs, faces, emotions, failures);
    }

    private static IEnumerable<(int Number, string Line)> ReadLines(string path)
    {
        // A FIFO or a device is not opened (it would block, or never end and fill memory); an empty shard's file has no lines.
        switch (FileKinds.Read(path))
        {
            case (FileKind.Missing, _):
                throw new FacemojiException($"{path}: no such results file");
            case (FileKind.Special, _):
                throw new FacemojiException($"{path}: {FileKinds.NotRegular}, so not a results file");
            case (FileKind.Folder, _):
                throw new FacemojiException($"{path}: is a folder, not a results file");
            case (_, 0):
                yield break;
        }

        // Read a line at a time, so a shard of millions of photos is never one string.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(-1, SeekOrigin.End);
        if (stream.ReadByte() != '\n')
        {
            throw new FacemojiException($"{path}: the last line is cut short (was its shard killed?); rerun that shard with --resume, then merge");
        }

        stream.Seek(0, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, new UTF8Encoding(false));
        int number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length > 0)
            {
                yield return (number, line);
            }
        }
    }
}
