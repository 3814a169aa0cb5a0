using System.Numerics;
using Facemoji.Engine.Kernels;
using Facemoji.Engine.Tests.Support;
using Xunit.Abstractions;

namespace Facemoji.Engine.Tests.Kernels;

/// <summary>
/// The pixel-lane convolution of the first layer against the double-precision reference convolution followed by the
/// output scale, bias and ReLU: rows that are whole tiles (48), rows with single vectors and an overlapping last
/// vector, channel counts off the group of 4, 2 input channels, 5x5 and padding 0, batches. `make test` reruns this
/// category with AVX-512, AVX2 and all intrinsics off (Vector&lt;float&gt; of other widths).
/// </summary>
[Trait("Category", "Kernels")]
public sealed class FewChannelConvKernelTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 1, 48, 48, 32, 3, 1)]
    [InlineData(2, 1, 30, 27, 7, 3, 1)]
    [InlineData(1, 2, 25, 37, 5, 3, 1)]
    [InlineData(3, 1, 20, 24, 4, 5, 2)]
    [InlineData(1, 1, 26, 26, 9, 3, 0)]
    [InlineData(1, 1, 16, 16, 3, 3, 1)]
    public void ForwardMatchesReference(int n, int cin, int h, int w, int cout, int k, int padding)
    {
        var g = new ConvGeometry(n, cin, h, w, cout, k, k, 1, padding);
        FewChannelConvKernel.Supports(g).Should().BeTrue();
        float[] x = TestData.Floats(g.InputLength, 31), wt = TestData.Floats(g.WeightLength, 32, 0.5f);
        float[] scale = TestData.Floats(cout, 33), bias = TestData.Floats(cout, 34);
        float[] scaled = new float[g.WeightLength];
        FewChannelConvKernel.ScaleWeights(wt, scale, scaled, g);
        double[] yConv = new double[g.OutputLength];
        Conv2dReference.Forward<double>(Array.ConvertAll(x, v => (double)v), Array.ConvertAll(wt, v => (double)v), ReadOnlySpan<double>.Empty, yConv, g);
        foreach (bool relu in new[] { false, true })
        {
            // Garbage in the output and the scratch: every output must be written, no scratch value read unset.
            float[] y = Enumerable.Repeat(float.NaN, g.OutputLength).ToArray();
            float[] scratch = Enumerable.Repeat(12345f, FewChannelConvKernel.ScratchLength(g)).ToArray();
            FewChannelConvKernel.Forward(x, scaled, bias, y, g, scratch, relu);
            double difference = TestData.MaxScaledDifference(y, TestData.ScaledConvolution(yConv, scale, bias, g, relu));
            output.WriteLine($"{g} relu {relu} lanes {Vector<float>.Count}: largest scaled difference {difference:E2}");
            difference.Should().BeLessThan(2e-5);
        }
    }

    [Fact]
    public void WithoutBiasIsThePlainConvolution()
    {
        var g = new ConvGeometry(1, 1, 24, 29, 6, 3, 3, 1, 1);
        float[] x = TestData.Floats(g.InputLength, 41), wt = TestData.Floats(g.WeightLength, 42);
        float[] scaled = new float[g.WeightLength];
        FewChannelConvKernel.ScaleWeights(wt, ReadOnlySpan<float>.Empty, scaled, g);
        scaled.Should().Equal(wt);
        float[] y = new float[g.OutputLength], yRef = new float[g.OutputLength];
        FewChannelConvKernel.Forward(x, scaled, ReadOnlySpan<float>.Empty, y, g, new float[FewChannelConvKernel.ScratchLength(g)], relu: false);
        Conv2dReference.Forward<float>(x, wt, ReadOnlySpan<float>.Empty, yRef, g);
        TestData.MaxScaledDifference(y, yRef).Should().BeLessThan(2e-5);
    }

    [Fact]
    public void RejectsStridesNarrowRowsAndShortBuffers()
    {
        FewChannelConvKernel.Supports(new ConvGeometry(1, 1, 48, 48, 4, 3, 3, 2, 1)).Should().BeFalse();
        FewChannelConvKernel.Supports(new ConvGeometry(1, 1, 8, Vector<float>.Count - 1, 4, 3, 3, 1, 1)).Should().BeFalse();
        FewChannelConvKernel.Pays(new ConvGeometry(1, 16, 48, 48, 32, 3, 3, 1, 1)).Should().BeFalse("16 input channels run the Winograd or direct kernels");
        var g = new ConvGeometry(1, 1, 24, 24, 4, 3, 3, 1, 1);
        var act = () => FewChannelConvKernel.Forward(new float[g.InputLength], new float[g.WeightLength], ReadOnlySpan<float>.Empty, new float[g.OutputLength - 1], g,
            new float[FewChannelConvKernel.ScratchLength(g)], relu: true);
        act.Should().Throw<ArgumentException>();
    }
}
