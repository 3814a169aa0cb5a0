namespace Facemoji.Engine.Kernels;

/// <summary>
/// A register-blocked SGEMM micro-kernel: multiplies one packed MR-row panel of A by one packed NR-column panel
/// of B into an MR x NR tile of C. Implemented by <c>readonly struct</c>s so that the generic driver
/// (<see cref="GemmDriver{TKernel}"/>) is specialised per kernel and the shape properties become constants.
/// </summary>
internal unsafe interface IGemmMicroKernel
{
    /// <summary>MR: rows of the C tile, and the width of an A panel.</summary>
    int Rows { get; }

    /// <summary>NR: columns of the C tile, and the width of a B panel.</summary>
    int Columns { get; }

    /// <summary>Whether this CPU (and the DOTNET_Enable* switches) runs this kernel in hardware.</summary>
    bool IsSupported { get; }

    /// <summary>KC: the depth of one packed block (A panel MR x KC stays in L1, the B block KC x NC in L2/L3).</summary>
    int DepthBlock { get; }

    /// <summary>MC: rows of A packed at once (MC x KC sized for L2); a multiple of <see cref="Rows"/>.</summary>
    int RowBlock { get; }

    /// <summary>NC: columns of B packed at once; a multiple of <see cref="Columns"/>.</summary>
    int ColumnBlock { get; }

    // c (MR,NR) row stride ldc = [c +] packedA (kc,MR) · packedB (kc,NR)
    void Run(int kc, float* packedA, float* packedB, float* c, nint ldc, bool accumulate);
}
