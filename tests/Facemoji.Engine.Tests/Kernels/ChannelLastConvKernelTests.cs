using Facemoji.Engine.Kernels;
using Facemoji.Engine.Tests.Support;

namespace Facemoji.Engine.Tests.Kernels;

/// <summary>
/// The channel-last convolution (implicit GEMM, register tiles, fused bias + residual + ReLU) against the plain
/// double reference: 1x1, 3x3 and 5x5 kernels, strides 1 and 2, SAME padding with the odd pixel after, dense inputs
/// (the bordered-row path) and pitched ones, output pitches of whole vectors and dense ones with channel counts off
/// every vector (the tile buffer), residuals with fewer channels than the output (a channel PAD fused away), pixel
/// counts that leave a partial tile, and output channels that need every group width (1 to 7 vectors).
/// </summary>
[Trait("Category", "Kernels")]
public sealed class ChannelLastConvKernelTests
{
    [Theory]
    [InlineData(1, 1, 1, 1, 1, 1, false)]
    [InlineData(6, 6, 24, 1, 1, 28, true)]
    [InlineData(5, 7, 36, 1, 1, 42, true)]
    [InlineData(8, 8, 96, 1, 1, 96, true)]
    [InlineData(4, 3, 88, 1, 1, 2, false)]
    [InlineData(4, 4, 88, 1, 1, 6, false)]
    [InlineData(3, 5, 64, 1, 1, 72, true)]
    [InlineData(3, 3, 80, 1, 1, 112, true)]
    [InlineData(2, 2, 7, 1, 1, 16, true)]
    [InlineData(13, 11, 3, 5, 2, 24, true)]
    [InlineData(12, 12, 3, 3, 2, 32, true)]
    [InlineData(9, 10, 5, 3, 1, 9, false)]
    [InlineData(7, 7, 12, 3, 2, 20, true)]
    public void ForwardMatchesReference(int h, int w, int cin, int k, int stride, int cout, bool pitched)
    {
        int lanes = ChannelLastConvKernel.Lanes;
        int inPitch = pitched ? ChannelLastConvKernel.PaddedPitch(cin) : cin, outPitch = pitched ? ChannelLastConvKernel.PaddedPitch(cout) : cout;
        int oh = (h + stride - 1) / stride, ow = (w + stride - 1) / stride;
        int padTop = Math.Max(0, ((oh - 1) * stride) + k - h) / 2, padLeft = Math.Max(0, ((ow - 1) * stride) + k - w) / 2;
        var g = new ChannelLastConvGeometry(h, w, cin, inPitch, k, k, stride, padTop, padLeft, oh, ow, cout, outPitch);
        float[] x = Pitched(TestData.Floats(h * w * cin, 41), cin, inPitch);
        float[] wt = TestData.Floats(g.WeightLength, 42, 0.3f), bias = TestData.Floats(cout, 43);
        float[] packed = new float[ChannelLastConvKernel.PackedWeightLength(g)], packedBias = new float[ChannelLastConvKernel.PackedBiasLength(g)];
        ChannelLastConvKernel.PackWeights(wt, bias, packed, packedBias, g);
        var table = new nint[ChannelLastConvKernel.TableLength(g)];
        var scratch = Enumerable.Repeat(float.NaN, ChannelLastConvKernel.ScratchLength(g)).ToArray();

        // A residual of fewer channels than the output, stored with a pitch of whole vectors (a PAD's input).
        int resChannels = Math.Max(1, cout - 4), resPitch = ChannelLastConvKernel.PaddedPitch(resChannels);
        float[] residual = Pitched(TestData.Floats(oh * ow * resChannels, 44), resChannels, resPitch);
        foreach (bool relu in new[] { false, true })
        {
            foreach (bool withResidual in new[] { false, true })
            {
                float[] r = withResidual ? residual : [];
                float[] expected = new float[g.OutputLength];
                ChannelLastConvReference.Forward(x, wt, bias, r, resPitch, expected, g, relu);
                float[] y = Enumerable.Repeat(float.NaN, g.OutputLength).ToArray();
                ChannelLastConvKernel.Forward(x, packed, packedBias, r, resPitch, y, g, relu, table, scratch);
                for (int p = 0; p < oh * ow; p++)
                {
                    for (int co = 0; co < outPitch; co++)
                    {
                        float actual = y[(p * outPitch) + co];
                        string what = $"pixel {p} channel {co} of {g} (relu {relu}, residual {withResidual}, lanes {lanes})";
                        if (co < cout)
                        {
                            actual.Should().BeApproximately(expected[(p * outPitch) + co], 1e-4f * Math.Max(1, Math.Abs(expected[(p * outPitch) + co])), what);
                        }
                        else
                        {
                            actual.Should().Be(0f, "the lanes past the channels stay zero: " + what);
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void ReferenceComputesAKnownValue()
    {
        // 3x3 ones, 3x3 kernel of twos, SAME, bias 0.5, a residual of 1: the centre sees 9 taps, a corner 4.
        var g = new ChannelLastConvGeometry(3, 3, 1, 1, 3, 3, 1, 1, 1, 3, 3, 1, 1);
        float[] y = new float[9];
        ChannelLastConvReference.Forward(Enumerable.Repeat(1f, 9).ToArray(), Enumerable.Repeat(2f, 9).ToArray(), [0.5f], Enumerable.Repeat(1f, 9).ToArray(), 1, y, g, false);
        y[4].Should().Be(19.5f);
        y[0].Should().Be(9.5f);
    }

    // dense (P, C) -> (P, pitch), zeros past C.
    internal static float[] Pitched(float[] dense, int channels, int pitch)
    {
        int pixels = dense.Length / channels;
        var result = new float[pixels * pitch];
        for (int p = 0; p < pixels; p++)
        {
            dense.AsSpan(p * channels, channels).CopyTo(result.AsSpan(p * pitch));
        }

        return result;
    }
}
