namespace Facemoji.Engine.Kernels;

/// <summary>The sizes of a 2-D pooling: input (N,C,H,W), a KxK window moved by Stride over an input padded by Padding, output (N,C,OH,OW) (floor mode, as PyTorch's default).</summary>
internal readonly record struct PoolGeometry(int Batch, int Channels, int Height, int Width, int Kernel, int Stride, int Padding)
{
    public int OutHeight => ((Height + (2 * Padding) - Kernel) / Stride) + 1;

    public int OutWidth => ((Width + (2 * Padding) - Kernel) / Stride) + 1;

    public int Planes => Batch * Channels;

    public int InputLength => Batch * Channels * Height * Width;

    public int OutputLength => Batch * Channels * OutHeight * OutWidth;

    public void Validate()
    {
        if (Batch < 0 || Channels <= 0 || Height <= 0 || Width <= 0 || Kernel <= 0 || Stride <= 0 || Padding < 0)
        {
            throw new ArgumentException($"Invalid pooling geometry {this}.");
        }

        if (Padding * 2 > Kernel)
        {
            throw new ArgumentException($"Pooling padding {Padding} must be at most half the kernel size {Kernel} (as PyTorch requires).");
        }

        if (Height + (2 * Padding) < Kernel || Width + (2 * Padding) < Kernel)
        {
            throw new ArgumentException($"A {Kernel}x{Kernel} pooling window does not fit a padded {Height}x{Width} input.");
        }
    }
}
