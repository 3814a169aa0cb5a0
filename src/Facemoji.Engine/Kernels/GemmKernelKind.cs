namespace Facemoji.Engine.Kernels;

/// <summary>Which SGEMM micro-kernel <see cref="Gemm"/> uses; <see cref="Auto"/> picks the widest the CPU runs.</summary>
public enum GemmKernelKind
{
    /// <summary>The widest supported kernel; tiny products take a direct loop without packing.</summary>
    Auto,

    /// <summary>AVX-512 8x32 tiles (needs Vector512 hardware acceleration and FMA).</summary>
    Vector512,

    /// <summary>AVX2 6x16 tiles (needs Vector256 hardware acceleration and FMA).</summary>
    Vector256,

    /// <summary>128-bit 4x8 tiles (SSE or AdvSimd).</summary>
    Vector128,

    /// <summary>Scalar 4x4 tiles: runs everywhere.</summary>
    Scalar,
}
