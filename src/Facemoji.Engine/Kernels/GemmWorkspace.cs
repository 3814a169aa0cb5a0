using System.Runtime.InteropServices;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// The packing buffers of one thread, kept between calls so that SGEMM allocates nothing in steady state.
/// Native, 64-byte aligned memory (a packed panel row is then one cache line); the finaliser returns it when
/// the owning thread has ended and the workspace is no longer reachable.
/// </summary>
internal sealed unsafe class GemmWorkspace
{
    [ThreadStatic]
    private static GemmWorkspace? current;

    private float* packedA;
    private nint capacityA;
    private float* packedB;
    private nint capacityB;
    private float* tile;
    private nint capacityTile;

    /// <summary>The calling thread's workspace.</summary>
    public static GemmWorkspace Current => current ??= new GemmWorkspace();

    ~GemmWorkspace()
    {
        NativeMemory.AlignedFree(packedA);
        NativeMemory.AlignedFree(packedB);
        NativeMemory.AlignedFree(tile);
    }

    public float* PackedA(nint floats) => Ensure(ref packedA, ref capacityA, floats);

    public float* PackedB(nint floats) => Ensure(ref packedB, ref capacityB, floats);

    public float* Tile(nint floats) => Ensure(ref tile, ref capacityTile, floats);

    private static float* Ensure(ref float* buffer, ref nint capacity, nint floats)
    {
        if (floats > capacity)
        {
            NativeMemory.AlignedFree(buffer);
            buffer = null;
            capacity = 0;
            buffer = (float*)NativeMemory.AlignedAlloc((nuint)(floats * sizeof(float)), 64);
            capacity = floats;
        }

        return buffer;
    }
}
