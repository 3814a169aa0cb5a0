using Facemoji.Engine;

namespace Facemoji.Pipeline.Batch;

/// <summary>
/// The loop every batch verb shares: take the shard's inputs, skip those already in the results file when
/// resuming, process the rest in key order, and append each result line to the file (flushed) as soon as it is made.
/// </summary>
public static class BatchRun
{
    /// <param name="inputs">Every input of the batch (all shards), as <see cref="BatchInputs"/> expands them.</param>
    /// <param name="settings">The shard, resume and output settings of the run.</param>
    /// <param name="process">Makes the line of one input; a <see cref="FacemojiException"/> becomes a failed line.</param>
    /// <param name="failedLine">The JSON line of an input that failed, from its file and message.</param>
    /// <param name="onLine">Called after each line is written (printing, progress).</param>
    public static BatchReport Run(
        IReadOnlyList<BatchInput> inputs,
        BatchSettings settings,
        Func<BatchInput, BatchLine> process,
        Func<string, string, string> failedLine,
        Action<BatchLine>? onLine = null)
    {
        if (settings.Resume && settings.ResultsPath is null)
        {
            throw new FacemojiException("--resume needs a results file to continue (--jsonl FILE)");
        }

        var share = BatchInputs.Shard(inputs, settings.Shard);
        using JsonlResults? results = settings.ResultsPath is null ? null : JsonlResults.Open(settings.ResultsPath, settings.Resume);
        var todo = results is null ? share : share.Where(i => !results.Done.Contains(i.File)).ToList();
        var lines = new List<BatchLine>(todo.Count);
        foreach (BatchInput input in todo)
        {
            BatchLine line;
            try
            {
                line = process(input);
            }
            catch (FacemojiException ex)
            {
                line = new BatchLine(input, failedLine(input.File, ex.Message), ex.Message, null);
            }

            results?.Append(line.Json);
            lines.Add(line);
            onLine?.Invoke(line);
        }

        return new BatchReport(settings.Shard, inputs.Count, share.Count, share.Count - todo.Count, lines);
    }

    /// <summary>
    /// Where the annotated copy of an input goes: its relative path under <paramref name="outputFolder"/>, with
    /// <c>.facemoji</c> before <paramref name="extension"/>, so shards writing into one shared folder never collide.
    /// </summary>
    public static string OutputPath(string outputFolder, BatchInput input, string extension)
    {
        string key = input.Key.Replace('/', Path.DirectorySeparatorChar);
        string? folder = Path.GetDirectoryName(key);
        string name = Path.GetFileNameWithoutExtension(key) + ".facemoji" + extension;
        return Path.Combine(outputFolder, string.IsNullOrEmpty(folder) ? name : Path.Combine(folder, name));
    }
}
