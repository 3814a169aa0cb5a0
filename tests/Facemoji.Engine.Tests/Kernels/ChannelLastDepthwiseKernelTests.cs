using Facemoji.Engine.Kernels;
using Facemoji.Engine.Tests.Support;

namespace Facemoji.Engine.Tests.Kernels;

/// <summary>
/// The channel-last depthwise convolution with channel pitches against the plain reference: 3x3 (the unrolled
/// interior and the bordered pixels) and 5x5 windows, strides 1 and 2, SAME and VALID padding, maps narrower than
/// the window, pitched tensors (whole vectors) and dense ones (the scalar path).
/// </summary>
[Trait("Category", "Kernels")]
public sealed class ChannelLastDepthwiseKernelTests
{
    [Theory]
    [InlineData(1, 1, 1, 3, 1, true, true)]
    [InlineData(8, 8, 24, 3, 1, true, true)]
    [InlineData(8, 8, 24, 3, 2, true, true)]
    [InlineData(7, 9, 5, 3, 2, true, false)]
    [InlineData(2, 2, 40, 3, 1, true, true)]
    [InlineData(16, 16, 33, 5, 1, true, true)]
    [InlineData(12, 10, 17, 5, 2, true, false)]
    [InlineData(9, 9, 8, 3, 1, false, true)]
    [InlineData(9, 11, 3, 3, 2, false, true)]
    [InlineData(6, 6, 96, 3, 1, true, true)]
    public void ForwardMatchesReference(int h, int w, int c, int k, int stride, bool same, bool pitched)
    {
        var g = same ? DepthwiseConvGeometry.Same(h, w, c, k, k, stride) : DepthwiseConvGeometry.Valid(h, w, c, k, k, stride);
        int pitch = pitched ? ChannelLastConvKernel.PaddedPitch(c) : c;
        float[] dense = TestData.Floats(g.InputLength, 51), wt = TestData.Floats(g.WeightLength, 52, 0.5f), bias = TestData.Floats(c, 53);
        float[] x = ChannelLastConvKernelTests.Pitched(dense, c, pitch);
        int lanes = ChannelLastDepthwiseKernel.Lanes(pitch, pitch);
        float[] packed = new float[ChannelLastDepthwiseKernel.PackedLength(g, lanes)];
        ChannelLastDepthwiseKernel.PackWeights(wt, bias, packed, g, lanes);
        foreach (bool relu in new[] { false, true })
        {
            float[] expected = new float[g.OutputLength];
            DepthwiseConv2dReference.Forward(dense, wt, bias, expected, g, relu);
            float[] y = new float[g.OutHeight * g.OutWidth * pitch];
            ChannelLastDepthwiseKernel.Forward(x, pitch, packed, y, pitch, g, relu);
            for (int p = 0; p < g.OutHeight * g.OutWidth; p++)
            {
                for (int ch = 0; ch < pitch; ch++)
                {
                    float want = ch < c ? expected[(p * c) + ch] : 0f;
                    y[(p * pitch) + ch].Should().BeApproximately(want, 1e-4f, $"pixel {p} channel {ch} of {g} (relu {relu}, pitch {pitch}, lanes {lanes})");
                }
            }
        }
    }
}
