namespace Facemoji.Engine.Tensors;

/// <summary>
/// A contiguous float32 tensor in row-major order (NCHW for images). It is deliberately thin: a shape and a
/// flat array. Layers own their output and gradient tensors and reuse them across steps, so that a
/// training step does not allocate once shapes are steady.
/// </summary>
public sealed class Tensor
{
    public Tensor(params int[] shape)
        : this(new float[ElementCount(shape)], shape)
    {
    }

    public Tensor(float[] data, params int[] shape)
    {
        long count = ElementCount(shape);
        if (data.Length < count)
        {
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] needs {count} values, the buffer holds {data.Length}.", nameof(data));
        }

        Data = data;
        Shape = (int[])shape.Clone();
        Length = (int)count;
    }

    /// <summary>The backing array. It can be longer than <see cref="Length"/> when a buffer is reused for a smaller batch.</summary>
    public float[] Data { get; }

    public int[] Shape { get; }

    public int Length { get; }

    public int Rank => Shape.Length;

    public Span<float> Span => Data.AsSpan(0, Length);

    public int this[int dimension] => Shape[dimension];

    public static int ElementCount(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (int d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d);
            count *= d;
        }

        if (count > Array.MaxLength)
        {
            throw new ArgumentException($"Shape [{string.Join(", ", shape.ToArray())}] has {count} elements, more than an array can hold.");
        }

        return (int)count;
    }

    public bool HasShape(ReadOnlySpan<int> shape) => Shape.AsSpan().SequenceEqual(shape);

    /// <summary>The same data seen with another shape of the same element count (no copy).</summary>
    public Tensor Reshape(params int[] shape)
    {
        if (ElementCount(shape) != Length)
        {
            throw new ArgumentException($"Cannot reshape [{string.Join(", ", Shape)}] to [{string.Join(", ", shape)}].");
        }

        return new Tensor(Data, shape);
    }

    public void Clear() => Span.Clear();

    public override string ToString() => $"Tensor[{string.Join(", ", Shape)}]";
}
