namespace Facemoji.Engine.Kernels;

/// <summary>
/// The sizes of a 2-D convolution: input (N,Cin,H,W), weight (Cout,Cin,KH,KW), output (N,Cout,OH,OW), with the
/// same stride and zero padding on both axes (as PyTorch's int arguments). The im2col matrix of one image is
/// (<see cref="ColumnRows"/>, <see cref="ColumnCols"/>) = (Cin·KH·KW, OH·OW).
/// </summary>
internal readonly record struct ConvGeometry(
    int Batch, int InChannels, int Height, int Width, int OutChannels, int KernelHeight, int KernelWidth, int Stride, int Padding)
{
    public int OutHeight => ((Height + (2 * Padding) - KernelHeight) / Stride) + 1;

    public int OutWidth => ((Width + (2 * Padding) - KernelWidth) / Stride) + 1;

    public int ColumnRows => InChannels * KernelHeight * KernelWidth;

    public int ColumnCols => OutHeight * OutWidth;

    public int InputLength => Batch * InChannels * Height * Width;

    public int OutputLength => Batch * OutChannels * OutHeight * OutWidth;

    public int WeightLength => OutChannels * InChannels * KernelHeight * KernelWidth;

    /// <summary>A 1x1 convolution with stride 1 and no padding is a plain matrix product per image: no im2col needed.</summary>
    public bool IsPointwise => KernelHeight == 1 && KernelWidth == 1 && Stride == 1 && Padding == 0;

    public ConvGeometry WithBatch(int batch) => this with { Batch = batch };

    /// <summary>Throws a clear error when the sizes cannot form a convolution.</summary>
    public void Validate()
    {
        if (Batch < 0 || InChannels <= 0 || Height <= 0 || Width <= 0 || OutChannels <= 0 || KernelHeight <= 0 || KernelWidth <= 0 || Stride <= 0 || Padding < 0)
        {
            throw new ArgumentException($"Invalid convolution geometry {this}.");
        }

        if (Height + (2 * Padding) < KernelHeight || Width + (2 * Padding) < KernelWidth)
        {
            throw new ArgumentException($"A {KernelHeight}x{KernelWidth} kernel does not fit a padded {Height}x{Width} input (padding {Padding}).");
        }
    }
}
