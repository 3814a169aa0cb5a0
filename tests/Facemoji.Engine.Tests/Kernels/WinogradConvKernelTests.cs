using Facemoji.Engine.Kernels;
using Facemoji.Engine.Tests.Support;
using Xunit.Abstractions;

namespace Facemoji.Engine.Tests.Kernels;

/// <summary>
/// Winograd F(2x2,3x3) against the double-precision reference convolution followed by the output scale, bias and
/// ReLU: odd and even map sizes (partial tiles at the right and bottom edges), 1x1 and 2x2 maps, channel counts
/// off every block, batches spanning several tile blocks, 1 to 3 threads. Tolerance: 1e-4 of the largest output
/// (the transforms add and subtract up to 16 products, so the rounding is a few times the direct kernel's 2e-5).
/// </summary>
[Trait("Category", "Kernels")]
[Collection("ParallelRows settings")]
public sealed class WinogradConvKernelTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 1, 5, 4, 3, 1)]
    [InlineData(1, 8, 1, 1, 3, 1)]
    [InlineData(1, 8, 2, 2, 5, 1)]
    [InlineData(2, 9, 5, 7, 4, 1)]
    [InlineData(3, 16, 6, 6, 33, 2)]
    [InlineData(5, 32, 12, 12, 64, 2)]
    [InlineData(2, 17, 24, 24, 13, 3)]
    [InlineData(9, 64, 6, 6, 128, 2)]
    [InlineData(2, 32, 48, 48, 32, 2)]
    [InlineData(6, 130, 12, 12, 20, 2)]
    public void ForwardMatchesReference(int n, int cin, int h, int w, int cout, int threads)
    {
        var g = new ConvGeometry(n, cin, h, w, cout, 3, 3, 1, 1);
        WinogradConvKernel.Supports(g).Should().BeTrue();
        float[] x = TestData.Floats(g.InputLength, 31), wt = TestData.Floats(g.WeightLength, 32, 0.5f);
        float[] scale = TestData.Floats(cout, 33), bias = TestData.Floats(cout, 34);
        double[] yConv = new double[g.OutputLength];
        Conv2dReference.Forward<double>(Array.ConvertAll(x, v => (double)v), Array.ConvertAll(wt, v => (double)v), ReadOnlySpan<double>.Empty, yConv, g);
        int plane = g.OutHeight * g.OutWidth;
        int saved = ParallelRows.MaxDegreeOfParallelism;
        try
        {
            ParallelRows.MaxDegreeOfParallelism = threads;
            float[] u = new float[WinogradConvKernel.TransformedWeightLength(g)];
            WinogradConvKernel.TransformWeights(wt, scale, u, g);
            foreach (bool relu in new[] { false, true })
            {
                float[] y = Enumerable.Repeat(float.NaN, g.OutputLength).ToArray();
                float[] scratch = Enumerable.Repeat(12345f, WinogradConvKernel.ScratchLength(g)).ToArray();
                WinogradConvKernel.Forward(x, u, bias, y, g, scratch, relu);
                float[] expected = new float[g.OutputLength];
                for (int i = 0; i < expected.Length; i++)
                {
                    int co = i / plane % cout;
                    double v = (scale[co] * yConv[i]) + bias[co];
                    expected[i] = (float)(relu ? Math.Max(v, 0) : v);
                }

                double difference = TestData.MaxScaledDifference(y, expected);
                output.WriteLine($"{g} relu {relu} threads {threads} block {WinogradConvKernel.TileBlock(g)}: largest scaled difference {difference:E2}");
                difference.Should().BeLessThan(1e-4);
            }
        }
        finally
        {
            ParallelRows.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void WithoutScaleOrBiasIsThePlainConvolution()
    {
        var g = new ConvGeometry(2, 8, 7, 5, 6, 3, 3, 1, 1);
        float[] x = TestData.Floats(g.InputLength, 41), wt = TestData.Floats(g.WeightLength, 42);
        float[] u = new float[WinogradConvKernel.TransformedWeightLength(g)];
        WinogradConvKernel.TransformWeights(wt, ReadOnlySpan<float>.Empty, u, g);
        float[] y = new float[g.OutputLength], yRef = new float[g.OutputLength];
        WinogradConvKernel.Forward(x, u, null, y, g, new float[WinogradConvKernel.ScratchLength(g)], relu: false);
        Conv2dReference.Forward<float>(x, wt, ReadOnlySpan<float>.Empty, yRef, g);
        TestData.MaxScaledDifference(y, yRef).Should().BeLessThan(1e-4);
    }

    [Fact]
    public void RejectsOtherGeometriesAndShortBuffers()
    {
        WinogradConvKernel.Supports(new ConvGeometry(1, 8, 6, 6, 8, 3, 3, 2, 1)).Should().BeFalse("stride 2");
        WinogradConvKernel.Supports(new ConvGeometry(1, 8, 6, 6, 8, 3, 3, 1, 0)).Should().BeFalse("no padding");
        WinogradConvKernel.Supports(new ConvGeometry(1, 8, 6, 6, 8, 1, 1, 1, 0)).Should().BeFalse("1x1");
        WinogradConvKernel.Supports(new ConvGeometry(1, 1, 6, 6, 8, 3, 3, 1, 1)).Should().BeTrue("any channel count is computed");
        WinogradConvKernel.Pays(new ConvGeometry(64, 32, 48, 48, 32, 3, 3, 1, 1)).Should().BeFalse("few input channels: the direct kernel is faster");
        WinogradConvKernel.Pays(new ConvGeometry(64, 128, 12, 12, 128, 3, 3, 1, 1)).Should().BeTrue();
        var g = new ConvGeometry(1, 8, 4, 4, 3, 3, 3, 1, 1);
        var act = () => WinogradConvKernel.Forward(new float[g.InputLength], new float[WinogradConvKernel.TransformedWeightLength(g)], null,
            new float[g.OutputLength - 1], g, new float[WinogradConvKernel.ScratchLength(g)], relu: true);
        act.Should().Throw<ArgumentException>();
        act = () => WinogradConvKernel.Forward(new float[g.InputLength], new float[WinogradConvKernel.TransformedWeightLength(g)], null,
            new float[g.OutputLength], g, new float[WinogradConvKernel.ScratchPerSlot(g) - 1], relu: true);
        act.Should().Throw<ArgumentException>();
    }
}
