using System.Text;
using System.Text.Json;
using Facemoji.Engine;

namespace Facemoji.Pipeline.Batch;

/// <summary>
/// A batch's results file: one JSON object per line, each with a <c>"file"</c>, appended and flushed to disk one
/// line at a time, so a killed worker loses at most the input it was on. Opening it to resume drops a last line
/// cut short by a kill and remembers which inputs are already done.
/// </summary>
internal sealed class JsonlResults : IDisposable
{
    private readonly FileStream stream;
    private readonly HashSet<string> done;

    private JsonlResults(FileStream stream, HashSet<string> done)
    {
        this.stream = stream;
        this.done = done;
    }

    /// <summary>The path of the file.</summary>
    public required string Path { get; init; }

    /// <summary>Inputs already in the file when it was opened (by their <c>"file"</c>).</summary>
    public IReadOnlySet<string> Done => done;

    /// <summary>
    /// Opens <paramref name="path"/> for appending. Without <paramref name="resume"/> a file that already holds
    /// results is refused (rerunning would write every input twice); with it, its complete lines are kept.
    /// </summary>
    public static JsonlResults Open(string path, bool resume)
    {
        string? folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        // Results are appended and cut back in place: a device or a FIFO can be neither.
        if (FileKinds.Of(path) == FileKind.Special)
        {
            throw new FacemojiException($"{path}: {FileKinds.NotRegular}; name a results file");
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FacemojiException($"{path}: cannot open the results file ({e.Message})", e);
        }

        try
        {
            if (stream.Length > 0 && !resume)
            {
                throw new FacemojiException($"{path}: the results file already holds results; pass --resume to continue it, or remove it to start again");
            }

            var done = new HashSet<string>(StringComparer.Ordinal);
            long keep = ReadDone(stream, path, done);
            stream.SetLength(keep);
            stream.Seek(0, SeekOrigin.End);
            return new JsonlResults(stream, done) { Path = path };
        }
        catch (IOException e)
        {
            // A device or a FIFO opens but cannot be cut to its complete lines (ftruncate: Invalid argument).
            stream.Dispose();
            throw new FacemojiException($"{path}: cannot be used as a results file ({e.Message}); name a regular file", e);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Appends one line (a JSON object without a newline) and flushes it to the disk.</summary>
    public void Append(string jsonLine)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(jsonLine + "\n");
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    public void Dispose() => stream.Dispose();

    /// <summary>The <c>"file"</c> of a results line, or null when the line is not a complete JSON object with one.</summary>
    public static string? FileOf(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("file", out JsonElement file)
                && file.ValueKind == JsonValueKind.String
                ? file.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Returns the length to keep: everything up to the last complete line. A line without its newline is what a
    // kill mid-write leaves; any other line that is not a results object means the file is not ours.
    private static long ReadDone(FileStream stream, string path, HashSet<string> done)
    {
        stream.Seek(0, SeekOrigin.Begin);
        byte[] content = new byte[stream.Length];
        stream.ReadExactly(content);
        int lastNewline = Array.LastIndexOf(content, (byte)'\n');
        int lineNumber = 0;
        int start = 0;
        while (start <= lastNewline)
        {
            int end = Array.IndexOf(content, (byte)'\n', start);
            lineNumber++;
            string line = Encoding.UTF8.GetString(content, start, end - start).TrimEnd('\r');
            start = end + 1;
            if (line.Length == 0)
            {
                continue;
            }

            string file = FileOf(line)
                ?? throw new FacemojiException($"{path} line {lineNumber}: not a results line (a JSON object with a \"file\"); is this the right file?");
            done.Add(file);
        }

        return lastNewline + 1;
    }
}
