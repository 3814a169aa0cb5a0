using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Modules;

/// <summary>Module-owned buffers: reallocated only when the shape changes, so steady-state steps do not allocate.</summary>
internal static class TensorBuffers
{
    /// <summary>
    /// A tensor of this shape, reusing the old backing array when it is large enough (a smaller last batch of an
    /// epoch then costs a small Tensor object, not a new buffer, and the next full batch reuses it again).
    /// </summary>
    public static Tensor Ensure(ref Tensor? buffer, ReadOnlySpan<int> shape)
    {
        if (buffer == null || !buffer.HasShape(shape))
        {
            int length = Tensor.ElementCount(shape);
            buffer = buffer != null && buffer.Data.Length >= length ? new Tensor(buffer.Data, shape.ToArray()) : new Tensor(shape.ToArray());
        }

        return buffer;
    }

    public static float[] Ensure(ref float[]? buffer, int length)
    {
        if (buffer == null || buffer.Length < length)
        {
            buffer = new float[length];
        }

        return buffer;
    }

    public static int[] Ensure(ref int[]? buffer, int length)
    {
        if (buffer == null || buffer.Length < length)
        {
            buffer = new int[length];
        }

        return buffer;
    }

    public static void RequireRank(Tensor input, int rank, string module)
    {
        if (input.Rank != rank)
        {
            throw new ArgumentException($"{module} expects a rank-{rank} input, got {input}.");
        }
    }

    public static Tensor RequireSaved(Tensor? saved, string module) =>
        saved ?? throw new InvalidOperationException($"{module}.Backward called before Forward.");
}
