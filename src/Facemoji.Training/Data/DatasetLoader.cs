using System.Diagnostics;
using Facemoji.Engine;

namespace Facemoji.Training.Data;

/// <summary>
/// The one entry point for datasets: a Kaggle CSV file, a folder of class folders, or a dataset root with
/// train/ and test/ (and val/). Decoded data goes through the content-keyed <see cref="DatasetCache"/>.
/// </summary>
public static class DatasetLoader
{
    public static DatasetLoadResult Load(string path, DatasetLoadOptions? options = null)
    {
        options ??= new DatasetLoadOptions();
        var clock = Stopwatch.StartNew();
        var skipped = new SkippedRecords();
        var cache = options.UseCache ? new DatasetCache(options.CacheDirectory ?? DatasetCache.DefaultDirectory) : null;

        if (File.Exists(path))
        {
            byte[] bytes = CsvDatasetReader.ReadAllBytes(path);
            string? key = cache is null ? null : DatasetCache.KeyOfBytes(bytes, options.SkipBad);
            return Finish(path, cache, key, skipped, clock, options.Progress, () => CsvDatasetReader.Parse(bytes, path, options.SkipBad, skipped));
        }

        if (Directory.Exists(path))
        {
            var entries = ImageFolderReader.List(path);
            string? key = cache is null ? null : DatasetCache.KeyOfFiles(path, entries, options.SkipBad);
            return Finish(path, cache, key, skipped, clock, options.Progress, () => ImageFolderReader.Read(path, entries, options.SkipBad, skipped, options.Progress));
        }

        throw new FacemojiException($"{path}: no such file or folder (expected a FER2013 CSV, a folder of class folders, or a dataset root with train/ and test/).");
    }

    private static DatasetLoadResult Finish(string path, DatasetCache? cache, string? key, SkippedRecords skipped, Stopwatch clock, Action<int, int>? progress, Func<DatasetSplits> read)
    {
        if (cache is not null && key is not null)
        {
            var cached = cache.TryLoad(key, path, skipped);
            if (cached is not null)
            {
                string cachePath = cache.PathOf(key);
                progress?.Invoke(cached.TotalCount, cached.TotalCount);
                return new DatasetLoadResult(cached, true, cachePath, new FileInfo(cachePath).Length, clock.Elapsed, skipped);
            }
        }

        var splits = read();
        progress?.Invoke(splits.TotalCount, splits.TotalCount);
        long size = 0;
        string? savedPath = null;
        if (cache is not null && key is not null)
        {
            try
            {
                size = cache.Save(key, splits, skipped);
                savedPath = cache.PathOf(key);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A read-only or full disk costs the next run time, not this run its data.
                savedPath = null;
            }
        }

        return new DatasetLoadResult(splits, false, savedPath, size, clock.Elapsed, skipped);
    }
}
