namespace Facemoji.Engine.TfLite;

/// <summary>
/// The builtin options of one operator, the union of those the interpreter reads (Conv2D, DepthwiseConv2D,
/// Pool2D, Add, Concatenation, Reshape). Fields an operator does not have keep their defaults.
/// </summary>
internal sealed record TfLiteOperatorOptions
{
    /// <summary>SAME (true) or VALID (false) padding.</summary>
    public bool SamePadding { get; init; }

    public int StrideWidth { get; init; } = 1;

    public int StrideHeight { get; init; } = 1;

    public int DilationWidth { get; init; } = 1;

    public int DilationHeight { get; init; } = 1;

    public int DepthMultiplier { get; init; } = 1;

    public int FilterWidth { get; init; } = 1;

    public int FilterHeight { get; init; } = 1;

    public TfLiteActivation Activation { get; init; }

    public int Axis { get; init; }

    public int[] NewShape { get; init; } = [];

    /// <summary>Resize: pixel corners aligned (align_corners).</summary>
    public bool AlignCorners { get; init; }

    /// <summary>Resize: sample at pixel centres (half_pixel_centers).</summary>
    public bool HalfPixelCenters { get; init; }
}
