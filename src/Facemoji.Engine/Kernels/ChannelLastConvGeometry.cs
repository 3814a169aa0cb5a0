namespace Facemoji.Engine.Kernels;

/// <summary>
/// The sizes of a convolution of one channel-last (NHWC) image whose pixels may be stored with a channel pitch
/// larger than their channel count (lanes past the channels are zero): input (H,W,InPitch) holding Cin channels,
/// weight (Cout,KH,KW,Cin) as TFLite stores it, output (OH,OW,OutPitch) holding Cout channels. Padding may differ
/// before and after (TFLite's SAME padding puts the odd pixel after), so the output size is given, not derived.
/// </summary>
internal readonly record struct ChannelLastConvGeometry(
    int Height, int Width, int InChannels, int InPitch, int KernelHeight, int KernelWidth, int Stride, int PadTop, int PadLeft,
    int OutHeight, int OutWidth, int OutChannels, int OutPitch)
{
    public int Taps => KernelHeight * KernelWidth;

    public int InputLength => Height * Width * InPitch;

    public int OutputLength => OutHeight * OutWidth * OutPitch;

    public int WeightLength => OutChannels * Taps * InChannels;

    public void Validate()
    {
        if (Height <= 0 || Width <= 0 || InChannels <= 0 || InPitch < InChannels || KernelHeight <= 0 || KernelWidth <= 0 || Stride <= 0 ||
            PadTop < 0 || PadLeft < 0 || OutHeight <= 0 || OutWidth <= 0 || OutChannels <= 0 || OutPitch < OutChannels)
        {
            throw new ArgumentException($"Invalid channel-last convolution geometry {this}.");
        }
    }
}
