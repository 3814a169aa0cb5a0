using Facemoji.Engine.Kernels;
using Facemoji.Engine.Tests.Support;
using Xunit.Abstractions;

namespace Facemoji.Engine.Tests.Kernels;

/// <summary>
/// The direct inference convolution against the double-precision reference convolution followed by the output
/// scale, bias and ReLU, on odd shapes: 1x1 maps, maps narrower than a vector, channel counts that are not
/// multiples of the channel block, rows that are not a whole number of pixel tiles, kernels other than 3x3. `make test` reruns this category with AVX2 off and
/// with every hardware intrinsic off (the Vector128 and scalar tiles).
/// </summary>
[Trait("Category", "Kernels")]
public sealed class DirectConvKernelTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 1, 1, 1, 1, 3, 1)]
    [InlineData(1, 1, 48, 48, 32, 3, 1)]
    [InlineData(1, 3, 6, 6, 5, 3, 1)]
    [InlineData(1, 7, 12, 12, 9, 3, 1)]
    [InlineData(2, 5, 5, 7, 3, 3, 1)]
    [InlineData(1, 2, 1, 1, 6, 3, 1)]
    [InlineData(1, 4, 2, 3, 4, 3, 1)]
    [InlineData(3, 3, 9, 4, 7, 1, 0)]
    [InlineData(1, 2, 8, 11, 3, 5, 2)]
    [InlineData(1, 3, 7, 6, 2, 2, 0)]
    [InlineData(1, 17, 24, 24, 13, 3, 1)]
    [InlineData(1, 33, 6, 6, 37, 3, 1)]
    [InlineData(2, 9, 13, 13, 70, 3, 1)]
    [InlineData(1, 4, 7, 19, 64, 3, 1)]
    public void ForwardMatchesReference(int n, int cin, int h, int w, int cout, int k, int padding)
    {
        var g = new ConvGeometry(n, cin, h, w, cout, k, k, 1, padding);
        float[] x = TestData.Floats(g.InputLength, 11), wt = TestData.Floats(g.WeightLength, 12, 0.5f);
        float[] scale = TestData.Floats(cout, 13), bias = TestData.Floats(cout, 14);
        float[] packed = new float[DirectConvKernel.PackedWeightLength(g)];
        DirectConvKernel.PackWeights(wt, scale, packed, g);

        double[] yConv = new double[g.OutputLength];
        Conv2dReference.Forward<double>(Array.ConvertAll(x, v => (double)v), Array.ConvertAll(wt, v => (double)v), ReadOnlySpan<double>.Empty, yConv, g);
        foreach (bool relu in new[] { false, true })
        {
            // Fill with garbage: the kernel must overwrite every output element.
            float[] y = Enumerable.Repeat(float.NaN, g.OutputLength).ToArray();
            float[] scratch = Enumerable.Repeat(12345f, DirectConvKernel.ScratchLength(g)).ToArray();
            DirectConvKernel.Forward(x, packed, bias, y, g, scratch, relu);
            double difference = TestData.MaxScaledDifference(y, TestData.ScaledConvolution(yConv, scale, bias, g, relu));
            output.WriteLine($"{g} relu {relu} lanes {DirectConvKernel.Lanes}: largest scaled difference {difference:E2}");
            difference.Should().BeLessThan(2e-5);
        }
    }

    [Fact]
    public void WithoutScaleOrBiasIsThePlainConvolution()
    {
        var g = new ConvGeometry(1, 3, 5, 6, 6, 3, 3, 1, 1);
        float[] x = TestData.Floats(g.InputLength, 21), wt = TestData.Floats(g.WeightLength, 22);
        float[] packed = new float[DirectConvKernel.PackedWeightLength(g)];
        DirectConvKernel.PackWeights(wt, ReadOnlySpan<float>.Empty, packed, g);
        float[] y = new float[g.OutputLength], yRef = new float[g.OutputLength];
        DirectConvKernel.Forward(x, packed, ReadOnlySpan<float>.Empty, y, g, new float[DirectConvKernel.ScratchLength(g)], relu: false);
        Conv2dReference.Forward<float>(x, wt, ReadOnlySpan<float>.Empty, yRef, g);
        TestData.MaxScaledDifference(y, yRef).Should().BeLessThan(2e-5);
    }

    [Fact]
    public void RejectsStridesAndShortBuffers()
    {
        var strided = new ConvGeometry(1, 1, 5, 5, 1, 3, 3, 2, 1);
        DirectConvKernel.Supports(strided).Should().BeFalse();
        var g = new ConvGeometry(1, 2, 4, 4, 3, 3, 3, 1, 1);
        var act = () => DirectConvKernel.Forward(new float[g.InputLength], new float[DirectConvKernel.PackedWeightLength(g)], ReadOnlySpan<float>.Empty, new float[g.OutputLength - 1], g, new float[DirectConvKernel.ScratchLength(g)], relu: true);
        act.Should().Throw<ArgumentException>();
    }
}
