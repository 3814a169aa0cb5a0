using System.Globalization;
using Facemoji.Engine.Serialization;

namespace Facemoji.Training.Averaging;

/// <summary>
/// A "model soup" (Wortsman et al. 2022): the element-wise mean of the weights of several model files of one
/// network, which, for networks fine-tuned from the same starting weights, usually answers better than each
/// of them at the cost of one. Every stored tensor is averaged, the batch-norm running statistics included:
/// the members share their starting point, so their statistics are close, and the shipped soup was measured
/// with them averaged (models/MODEL.md). Members trained from different initialisations do not average into
/// a working network; the function cannot tell, so evaluate the result.
/// </summary>
public static class ModelAveraging
{
    /// <summary>
    /// Reads every input, checks that they hold the same network with the same labels and preprocessing, and
    /// writes the mean of their tensors to <paramref name="outputPath"/> (atomically: on any error nothing is
    /// written). The result is uncalibrated (no temperature): the members' temperatures do not carry over to
    /// the mean; fit one with <c>facemoji calibrate</c>.
    /// </summary>
    public static AveragedModel Average(IReadOnlyList<string> inputPaths, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(inputPaths);
        if (inputPaths.Count < 2)
        {
            throw new FacemojiException($"model average needs at least two model files to average; got {inputPaths.Count}.");
        }

        if (string.IsNullOrWhiteSpace(outputPath) || Directory.Exists(outputPath))
        {
            throw new FacemojiException($"--output {outputPath}: is a folder or empty; name the model file to write.");
        }

        var read = inputPaths.Select(Read).ToList();
        var files = read.Select(r => r.File).ToList();
        var first = files[0];
        foreach (var other in files.Skip(1))
        {
            CheckSameNetwork(first, other);
        }

        long values = 0;
        var sum = Array.Empty<double>();
        for (int t = 0; t < first.Tensors.Count; t++)
        {
            // Sums in double so the mean does not depend on the members' order beyond the last bit of a float.
            Span<float> target = first.Tensors[t].Value.Span;
            if (sum.Length < target.Length)
            {
                sum = new double[target.Length];
            }

            Span<double> total = sum.AsSpan(0, target.Length);
            total.Clear();
            foreach (var file in files)
            {
                ReadOnlySpan<float> member = file[first.Tensors[t].Name].Span;
                for (int i = 0; i < member.Length; i++)
                {
                    total[i] += member[i];
                }
            }

            for (int i = 0; i < target.Length; i++)
            {
                target[i] = (float)(total[i] / files.Count);
            }

            values += target.Length;
        }

        var inputs = read.Select(r => (Path: r.File.Path, r.Sha256)).ToList();
        var info = new Dictionary<string, string>
        {
            ["method"] = "uniform weight average (model soup) of the members' parameters and batch-norm running statistics",
            ["members"] = string.Join("; ", inputs.Select(i => $"{i.Path} (sha256 {i.Sha256})")),
            ["member_count"] = files.Count.ToString(CultureInfo.InvariantCulture),
        };
        if (SeenTrainImages(files) is { } seen)
        {
            // The soup has learnt every image a member learnt: `facemoji calibrate` reads this to warn that a slice
            // of train is no longer new to it. Members' seeds differ, so no seed (and no held-out slice) carries over.
            info["train_images"] = seen.ToString(CultureInfo.InvariantCulture);
        }

        var header = first.Header with
        {
            Temperature = null,
            Metrics = new Dictionary<string, double>(),
            CreatedUtc = DateTimeOffset.UtcNow,
            TrainingInfo = info,
        };

        ModelFile.SaveWithHeader(outputPath, first, header);
        return new AveragedModel(outputPath, header.Architecture, inputs, first.Tensors.Count, values);
    }

    /// <summary>The most training images any member learnt from, when every member records it.</summary>
    private static int? SeenTrainImages(IEnumerable<LoadedModelFile> files)
    {
        int? most = null;
        foreach (var file in files)
        {
            if (!file.Header.TrainingInfo.TryGetValue("train_images", out var text)
                || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int count))
            {
                return null;
            }

            most = Math.Max(most ?? 0, count);
        }

        return most;
    }

    /// <summary>A member and the SHA-256 of the bytes it was read from (each member is read once).</summary>
    private static (LoadedModelFile File, string Sha256) Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FacemojiException($"{path}: no such model file.");
        }

        var (file, sha256) = ModelFile.ReadWithSha256(path);
        // Loading each member into its network refuses, with that member's name, a file whose tensors do not
        // fit its architecture or hold a NaN (a diverged run): the mean would carry them into every weight.
        // Members of one architecture then hold the same tensor names and shapes, so Average pairs them by name.
        file.CreateEvalNetwork();
        return (file, sha256);
    }

    private static void CheckSameNetwork(LoadedModelFile first, LoadedModelFile other)
    {
        string Differs(string what) => $"{other.Path}: {what} differ from {first.Path}'s; only models of the same network, labels and preprocessing can be averaged.";
        var a = first.Header;
        var b = other.Header;
        if (a.Architecture != b.Architecture)
        {
            throw new FacemojiException($"{other.Path}: holds a '{b.Architecture}' network, {first.Path} a '{a.Architecture}'; only models of the same network can be averaged.");
        }

        if (!a.ArchitectureOptions.OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual(b.ArchitectureOptions.OrderBy(p => p.Key, StringComparer.Ordinal)))
        {
            throw new FacemojiException(Differs("its architecture options"));
        }

        if (!a.Labels.SequenceEqual(b.Labels, StringComparer.Ordinal))
        {
            throw new FacemojiException(Differs("its labels"));
        }

        var p = a.Preprocessing;
        var q = b.Preprocessing;
        if (p.Width != q.Width || p.Height != q.Height || p.Channels != q.Channels || p.CropPolicy != q.CropPolicy || !p.Mean.SequenceEqual(q.Mean) || !p.Std.SequenceEqual(q.Std))
        {
            throw new FacemojiException(Differs("its preprocessing settings"));
        }
    }
}
