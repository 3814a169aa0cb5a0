using Facemoji.Engine;
using Facemoji.Expressions;
using Facemoji.Imaging;
using Facemoji.Imaging.Processing;

namespace Facemoji.Training.Data;

/// <summary>
/// Reads faces from folders: either a folder of class folders (<c>faces/happy/*.jpg</c>, one split "all"), or a
/// dataset root holding <c>train/</c>, <c>test/</c> and optionally <c>val/</c>, each a folder of class folders.
/// Class folders are mapped to emotions by NAME through <see cref="EmotionNames.TryParse"/> (aliases such as
/// "happiness" or "natural" included), never by their order. Images of any size and colour are converted to
/// gray and resized to 48x48.
/// </summary>
internal static class ImageFolderReader
{
    /// <summary>File name endings read as images; other files (notes, .DS_Store) are ignored.</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".jpg", ".jpeg", ".png"];

    /// <summary>One image to read: its path, its emotion, its split.</summary>
    public readonly record struct ImageEntry(string Path, Emotion Emotion, string Split);

    /// <summary>True when <paramref name="directory"/> holds train/, val/ or test/ rather than class folders.</summary>
    public static bool IsDatasetRoot(string directory) =>
        Directory.EnumerateDirectories(directory).Any(d => SplitOfFolder(Path.GetFileName(d)) is not null);

    /// <summary>Lists the images under a class folder or a dataset root, sorted, with their emotion and split.</summary>
    public static IReadOnlyList<ImageEntry> List(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new FacemojiException($"{directory}: no such folder.");
        }

        var entries = new List<ImageEntry>();
        if (IsDatasetRoot(directory))
        {
            foreach (var splitFolder in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
            {
                if (SplitOfFolder(Path.GetFileName(splitFolder)) is { } split)
                {
                    ListClassFolders(splitFolder, split, entries);
                }
            }
        }
        else
        {
            ListClassFolders(directory, DatasetSplits.All, entries);
        }

        if (entries.Count == 0)
        {
            throw new FacemojiException($"{directory}: holds no images (an empty dataset; expected class folders such as happy/ with {string.Join(", ", ImageExtensions)} files).");
        }

        return entries;
    }

    /// <summary>
    /// Decodes every listed image (in parallel) into 48x48 gray splits. An image that does not decode is an
    /// error naming the file, or, with <paramref name="skipBad"/>, counted in <paramref name="skipped"/>.
    /// </summary>
    public static DatasetSplits Read(string directory, IReadOnlyList<ImageEntry> entries, bool skipBad, SkippedRecords skipped, Action<int, int>? progress = null)
    {
        var pixels = new byte[(long)entries.Count * FerDataset.PixelsPerImage];
        var errors = new string?[entries.Count];
        ParallelRows.For(entries.Count, 64, new DecodeOperation(entries, pixels, errors, progress is null ? null : new DecodeCounter(entries.Count, progress)));

        var builders = new Dictionary<string, DatasetBuilder>(StringComparer.Ordinal);
        for (int i = 0; i < entries.Count; i++)
        {
            if (errors[i] is { } error)
            {
                if (!skipBad)
                {
                    throw new FacemojiException(error + " (use --skip-bad to skip images that do not decode)");
                }

                skipped.Add(error);
                continue;
            }

            if (!builders.TryGetValue(entries[i].Split, out var builder))
            {
                builder = new DatasetBuilder();
                builders[entries[i].Split] = builder;
            }

            builder.Add(pixels.AsSpan(i * FerDataset.PixelsPerImage, FerDataset.PixelsPerImage), (byte)entries[i].Emotion);
        }

        if (builders.Count == 0)
        {
            throw new FacemojiException($"{directory}: no image could be decoded ({skipped.Count} skipped; first: {(skipped.Examples.Count > 0 ? skipped.Examples[0] : null)}).");
        }

        return new DatasetSplits(directory, builders.ToDictionary(kv => kv.Key, kv => kv.Value.Build(kv.Key == DatasetSplits.All ? directory : $"{kv.Key} split of {directory}")));
    }

    private static string? SplitOfFolder(string name) => DatasetSplits.Canonicalize(name) is { } split && split != DatasetSplits.All ? split : null;

    private static void ListClassFolders(string directory, string split, List<ImageEntry> entries)
    {
        foreach (var classFolder in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(classFolder);
            if (name.StartsWith('.'))
            {
                continue;
            }

            if (!EmotionNames.TryParse(name, out var emotion))
            {
                throw new FacemojiException($"{classFolder}: unknown class folder '{name}'; accepted names are {string.Join(", ", EmotionNames.AcceptedNames)}.");
            }

            foreach (var file in Directory.EnumerateFiles(classFolder).Order(StringComparer.Ordinal))
            {
                if (IsImageFile(file))
                {
                    entries.Add(new ImageEntry(file, emotion, split));
                }
            }
        }
    }

    private static bool IsImageFile(string path)
    {
        string name = Path.GetFileName(path);
        return !name.StartsWith('.') && ImageExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Counts decoded images across the worker threads and passes the count on.</summary>
    private sealed class DecodeCounter(int total, Action<int, int> progress)
    {
        private int done;

        public void Add(int count) => progress(Interlocked.Add(ref done, count), total);
    }

    private readonly struct DecodeOperation(IReadOnlyList<ImageEntry> entries, byte[] pixels, string?[] errors, DecodeCounter? counter) : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                string path = entries[i].Path;
                try
                {
                    var image = ImageCodecs.LoadGray(path);
                    if (image.Width != FerDataset.Side || image.Height != FerDataset.Side)
                    {
                        // Area averaging (cv2.INTER_AREA): a large photo shrinks without aliasing.
                        image = Resizer.Resize(image, FerDataset.Side, FerDataset.Side, ResizeMode.Area);
                    }

                    image.Pixels.CopyTo(pixels.AsSpan(i * FerDataset.PixelsPerImage, FerDataset.PixelsPerImage));
                }
                catch (FacemojiException ex)
                {
                    errors[i] = ex.Message.StartsWith(path, StringComparison.Ordinal) ? ex.Message : $"{path}: {ex.Message}";
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    errors[i] = $"{path}: does not decode as an image ({ex.Message})";
                }
            }

            counter?.Add(end - start);
        }
    }
}
