using Facemoji.Engine.Kernels;
using Facemoji.Engine.Tests.Support;

namespace Facemoji.Engine.Tests.Kernels;

/// <summary>
/// The vectorised depthwise convolution against the plain reference: strides 1 and 2, SAME padding with the odd
/// pixel after (TFLite's), VALID padding, channel counts that are not multiples of any vector width, 1-pixel maps.
/// </summary>
[Trait("Category", "Kernels")]
public sealed class DepthwiseConv2dKernelTests
{
    [Theory]
    [InlineData(1, 1, 1, 3, 1, true)]
    [InlineData(8, 8, 24, 3, 1, true)]
    [InlineData(8, 8, 24, 3, 2, true)]
    [InlineData(7, 9, 5, 3, 2, true)]
    [InlineData(16, 16, 33, 5, 1, true)]
    [InlineData(12, 10, 17, 5, 2, true)]
    [InlineData(9, 9, 8, 3, 1, false)]
    [InlineData(9, 11, 3, 3, 2, false)]
    [InlineData(3, 2, 96, 3, 1, true)]
    public void ForwardMatchesReference(int h, int w, int c, int k, int stride, bool same)
    {
        var g = same ? DepthwiseConvGeometry.Same(h, w, c, k, k, stride) : DepthwiseConvGeometry.Valid(h, w, c, k, k, stride);
        float[] x = TestData.Floats(g.InputLength, 21), wt = TestData.Floats(g.WeightLength, 22, 0.5f), bias = TestData.Floats(c, 23);
        float[] packed = new float[DepthwiseConv2dKernel.PackedWeightLength(g)];
        DepthwiseConv2dKernel.PackWeights(wt, packed, g);
        foreach (bool relu in new[] { false, true })
        {
            foreach (float[] b in new[] { bias, Array.Empty<float>() })
            {
                float[] expected = new float[g.OutputLength];
                DepthwiseConv2dReference.Forward(x, wt, b, expected, g, relu);
                float[] y = Enumerable.Repeat(float.NaN, g.OutputLength).ToArray();
                DepthwiseConv2dKernel.Forward(x, packed, b, y, g, relu);
                for (int i = 0; i < y.Length; i++)
                {
                    y[i].Should().BeApproximately(expected[i], 1e-4f, $"output {i} of {g} (relu {relu}, bias {b.Length > 0})");
                }
            }
        }
    }

    [Fact]
    public void SamePaddingPutsTheOddPixelAfter()
    {
        // TFLite: 64 -> 32 with a 3x3 stride-2 kernel pads 0 before and 1 after; 5x5 stride 2 on 128 pads 1 and 2.
        DepthwiseConvGeometry.Same(64, 64, 1, 3, 3, 2).Should().Match<DepthwiseConvGeometry>(g => g.PadTop == 0 && g.OutHeight == 32);
        DepthwiseConvGeometry.Same(128, 128, 1, 5, 5, 2).Should().Match<DepthwiseConvGeometry>(g => g.PadTop == 1 && g.OutHeight == 64);
        DepthwiseConvGeometry.Same(16, 16, 1, 3, 3, 1).Should().Match<DepthwiseConvGeometry>(g => g.PadTop == 1 && g.OutHeight == 16);
    }

    [Fact]
    public void ReferenceComputesAKnownValue()
    {
        // One channel, 3x3 input of ones, 3x3 kernel of twos, SAME: the centre sees 9 taps, a corner 4.
        var g = DepthwiseConvGeometry.Same(3, 3, 1, 3, 3, 1);
        float[] y = new float[9];
        DepthwiseConv2dReference.Forward(Enumerable.Repeat(1f, 9).ToArray(), Enumerable.Repeat(2f, 9).ToArray(), [0.5f], y, g, false);
        y[4].Should().Be(18.5f);
        y[0].Should().Be(8.5f);
        y[1].Should().Be(12.5f);
    }
}
