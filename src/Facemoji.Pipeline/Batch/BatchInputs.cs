using Facemoji.Engine;
using Facemoji.Pipeline.Annotation;

namespace Facemoji.Pipeline.Batch;

/// <summary>Expands command-line inputs (files and folders) into batch inputs, sorted by key, and picks a shard's share.</summary>
public static class BatchInputs
{
    /// <summary>The extensions a folder contributes in a video batch.</summary>
    public static readonly IReadOnlyList<string> VideoExtensions = [".mp4", ".mkv", ".mov", ".avi", ".webm", ".m4v", ".mpg", ".mpeg"];

    /// <summary>Photos: a folder contributes its image files (as <see cref="ImageInputs.Expand"/> picks them), its sub-folders' too with <paramref name="recursive"/>.</summary>
    public static IReadOnlyList<BatchInput> Images(IEnumerable<string> inputs, bool recursive = false) =>
        Expand(inputs, folder => ImageInputs.Expand([folder], recursive));

    /// <summary>Videos: a folder contributes its files with a video extension, sorted by name.</summary>
    public static IReadOnlyList<BatchInput> Videos(IEnumerable<string> inputs) =>
        Expand(inputs, folder =>
        {
            var videos = Directory.EnumerateFiles(folder)
                .Where(f => VideoExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Order(StringComparer.Ordinal)
                .ToList();
            return videos.Count > 0
                ? videos
                : throw new FacemojiException($"{folder}: the folder holds no video files ({string.Join(", ", VideoExtensions)}).");
        });

    /// <summary>The inputs of one shard, in key order.</summary>
    public static IReadOnlyList<BatchInput> Shard(IReadOnlyList<BatchInput> inputs, ShardSpec shard) =>
        inputs.Where(i => shard.Contains(i.Key)).ToList();

    private static List<BatchInput> Expand(IEnumerable<string> inputs, Func<string, IReadOnlyList<string>> filesOfFolder)
    {
        var result = new List<BatchInput>();
        foreach (string input in inputs)
        {
            if (Directory.Exists(input))
            {
                foreach (string file in filesOfFolder(input))
                {
                    result.Add(new BatchInput(file, ShardSpec.NormalizeKey(Path.GetRelativePath(input, file))));
                }
            }
            else
            {
                // A missing file stays an input, so that it is reported as failed with the others still processed.
                result.Add(new BatchInput(input, ShardSpec.NormalizeKey(Path.GetFileName(input))));
            }
        }

        return result.OrderBy(i => i.Key, StringComparer.Ordinal).ThenBy(i => i.File, StringComparer.Ordinal).ToList();
    }
}
