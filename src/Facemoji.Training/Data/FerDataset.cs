using Facemoji.Expressions;

namespace Facemoji.Training.Data;

/// <summary>
/// Labelled 48x48 gray faces held in memory: one byte array of N x 48 x 48 pixels (row-major, image after
/// image) and one label byte per image, the Kaggle code (0=angry .. 6=neutral). The whole FER2013 training
/// set is 28,709 x 2,304 bytes = 66 MB, so plain arrays are the simplest thing that works.
/// </summary>
public sealed class FerDataset
{
    public const int Side = 48;
    public const int PixelsPerImage = Side * Side;

    public FerDataset(byte[] pixels, byte[] labels, string source)
    {
        if (pixels.Length != (long)labels.Length * PixelsPerImage)
        {
            throw new ArgumentException($"{labels.Length} labels need {(long)labels.Length * PixelsPerImage} pixels, got {pixels.Length}.", nameof(pixels));
        }

        foreach (byte label in labels)
        {
            if (label >= EmotionNames.Count)
            {
                throw new ArgumentException($"Label {label} is not an emotion code 0..{EmotionNames.Count - 1}.", nameof(labels));
            }
        }

        Pixels = pixels;
        Labels = labels;
        Source = source;
    }

    /// <summary>All images, <see cref="PixelsPerImage"/> bytes each.</summary>
    public byte[] Pixels { get; }

    /// <summary>One Kaggle code per image.</summary>
    public byte[] Labels { get; }

    /// <summary>Where the data came from (a file, a folder, "train split of ..."), for messages and reports.</summary>
    public string Source { get; }

    public int Count => Labels.Length;

    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);

    public Emotion Label(int index) => (Emotion)Labels[index];

    /// <summary>Images per class, indexed by code.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[EmotionNames.Count];
        foreach (byte label in Labels)
        {
            counts[label]++;
        }

        return counts;
    }

    /// <summary>A copy holding the given images in the given order.</summary>
    public FerDataset Subset(ReadOnlySpan<int> indices, string source)
    {
        var pixels = new byte[(long)indices.Length * PixelsPerImage];
        var labels = new byte[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            Image(index).CopyTo(pixels.AsSpan(i * PixelsPerImage, PixelsPerImage));
            labels[i] = Labels[index];
        }

        return new FerDataset(pixels, labels, source);
    }

    /// <summary>The first <paramref name="count"/> images of each class at most (quick experiments on a subset).</summary>
    public FerDataset TakePerClass(int count, string source)
    {
        var taken = new int[EmotionNames.Count];
        var indices = new List<int>();
        for (int i = 0; i < Count; i++)
        {
            if (taken[Labels[i]]++ < count)
            {
                indices.Add(i);
            }
        }

        return Subset(indices.ToArray(), source);
    }

    /// <summary>A short SHA-256 of the labels and pixels: equal datasets, equal fingerprints.</summary>
    public string Fingerprint()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        hash.AppendData(Labels);
        hash.AppendData(Pixels);
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    /// <summary>"28709 images: angry 3995, disgust 436, ...".</summary>
    public string Describe()
    {
        var counts = ClassCounts();
        return $"{Count} images: " + string.Join(", ", Enumerable.Range(0, counts.Length).Select(i => $"{EmotionNames.Canonical[i]} {counts[i]}"));
    }
}
