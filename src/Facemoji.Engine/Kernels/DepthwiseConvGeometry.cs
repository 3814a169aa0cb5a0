namespace Facemoji.Engine.Kernels;

/// <summary>
/// The sizes of a depthwise convolution in channels-last layout (TFLite's NHWC), one image: input (H,W,C),
/// weight (KH,KW,C) (TFLite's (1,KH,KW,C) with depth multiplier 1), output (OH,OW,C). Padding may differ
/// before and after (TFLite's SAME padding puts the odd pixel after), so the output size is given, not derived.
/// </summary>
internal readonly record struct DepthwiseConvGeometry(
    int Height, int Width, int Channels, int KernelHeight, int KernelWidth, int Stride, int PadTop, int PadLeft, int OutHeight, int OutWidth)
{
    public int InputLength => Height * Width * Channels;

    public int OutputLength => OutHeight * OutWidth * Channels;

    public int WeightLength => KernelHeight * KernelWidth * Channels;

    /// <summary>TFLite's SAME padding: the output is ceil(in / stride), padding split with the odd pixel after.</summary>
    public static DepthwiseConvGeometry Same(int height, int width, int channels, int kernelHeight, int kernelWidth, int stride)
    {
        int outH = (height + stride - 1) / stride, outW = (width + stride - 1) / stride;
        int padH = Math.Max(0, ((outH - 1) * stride) + kernelHeight - height);
        int padW = Math.Max(0, ((outW - 1) * stride) + kernelWidth - width);
        return new(height, width, channels, kernelHeight, kernelWidth, stride, padH / 2, padW / 2, outH, outW);
    }

    /// <summary>TFLite's VALID padding: no padding, only whole windows.</summary>
    public static DepthwiseConvGeometry Valid(int height, int width, int channels, int kernelHeight, int kernelWidth, int stride) =>
        new(height, width, channels, kernelHeight, kernelWidth, stride, 0, 0, ((height - kernelHeight) / stride) + 1, ((width - kernelWidth) / stride) + 1);

    public void Validate()
    {
        if (Height <= 0 || Width <= 0 || Channels <= 0 || KernelHeight <= 0 || KernelWidth <= 0 || Stride <= 0 ||
            PadTop < 0 || PadLeft < 0 || OutHeight <= 0 || OutWidth <= 0)
        {
            throw new ArgumentException($"Invalid depthwise convolution geometry {this}.");
        }
    }
}
