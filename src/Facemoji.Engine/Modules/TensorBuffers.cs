using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Modules;

/// <summary>Module-owned buffers: reallocated only when the shape changes, so steady-state steps do not allocate.</summary>
internal static class TensorBuffers
{
    public static Tensor Ensure(ref Tensor? buffer, ReadOnlySpan<int> shape)
    {
        if (buffer == null || !buffer.HasShape(shape))
        {
            buffer = new Tensor(shape.ToArray());
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
