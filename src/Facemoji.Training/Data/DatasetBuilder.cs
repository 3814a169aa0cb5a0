namespace Facemoji.Training.Data;

/// <summary>Collects images and labels of one split as they are read, growing its arrays geometrically.</summary>
internal sealed class DatasetBuilder
{
    private byte[] pixels = new byte[FerDataset.PixelsPerImage * 256];
    private byte[] labels = new byte[256];

    public int Count { get; private set; }

    /// <summary>Room for the next image's pixels; <see cref="Commit"/> keeps them.</summary>
    public Span<byte> NextImage()
    {
        if (Count == labels.Length)
        {
            Array.Resize(ref labels, labels.Length * 2);
            Array.Resize(ref pixels, labels.Length * FerDataset.PixelsPerImage);
        }

        return pixels.AsSpan(Count * FerDataset.PixelsPerImage, FerDataset.PixelsPerImage);
    }

    public void Commit(byte label)
    {
        labels[Count] = label;
        Count++;
    }

    public void Add(ReadOnlySpan<byte> image, byte label)
    {
        image.CopyTo(NextImage());
        Commit(label);
    }

    public FerDataset Build(string source) =>
        new(pixels.AsSpan(0, Count * FerDataset.PixelsPerImage).ToArray(), labels.AsSpan(0, Count).ToArray(), source);
}
