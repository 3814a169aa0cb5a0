using Facemoji.Engine.Kernels;
using Facemoji.Engine.Tests.Support;
using Xunit.Abstractions;

namespace Facemoji.Engine.Tests.Kernels;

/// <summary>
/// The channel-last Winograd F(2x2,3x3), F(3x3,3x3) and F(4x4,3x3) against the double-precision reference convolution followed by the output
/// scale, bias and ReLU: odd and even map sizes (partial tiles at the right and bottom edges), 1x1 maps, channel
/// counts off every vector and channel block, maps large enough to need several blocks of tile rows, small maps
/// whose blocks hold several images (6x6: 9 tiles, 6 + 3 rows; 4 tiles in F(3x3)), 1 to 3 threads. Tolerance: 1e-4 of the largest output for F(2x2) (the transforms add and
/// subtract up to 16 products); 1e-3 for F(3x3) (25 products, factors up to 3·4) and F(4x4), whose transforms weigh 36 products by factors up to 8·5 (on random
/// data it errs up to ~5e-4 at 256 input channels, about ten times F(2x2); real weights and faces: ConvBnPathTests and
/// the ONNX parity test, still within 1e-4). `make test` reruns this category with AVX-512, AVX2 and all intrinsics off.
/// </summary>
[Trait("Category", "Kernels")]
[Collection("ParallelRows settings")]
public sealed class ChannelLastWinogradKernelTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 1, 5, 4, 3, 1)]
    [InlineData(1, 8, 1, 1, 3, 1)]
    [InlineData(2, 9, 5, 7, 4, 2)]
    [InlineData(3, 16, 6, 6, 33, 2)]
    [InlineData(1, 32, 12, 12, 64, 1)]
    [InlineData(5, 17, 13, 11, 70, 3)]
    [InlineData(1, 32, 48, 48, 32, 1)]
    [InlineData(2, 130, 12, 12, 20, 2)]
    [InlineData(1, 16, 6, 6, 33, 1)]
    [InlineData(7, 256, 6, 6, 256, 1)]
    [InlineData(9, 20, 5, 6, 40, 2)]
    [InlineData(5, 128, 12, 12, 70, 1)]
    public void ForwardMatchesReference(int n, int cin, int h, int w, int cout, int threads)
    {
        ForwardMatchesReferenceWith(2, n, cin, h, w, cout, threads);
    }

    [Theory]
    [InlineData(1, 1, 5, 4, 3, 1)]
    [InlineData(1, 8, 1, 1, 3, 1)]
    [InlineData(2, 9, 5, 7, 4, 2)]
    [InlineData(3, 16, 6, 6, 33, 2)]
    [InlineData(1, 32, 12, 12, 64, 1)]
    [InlineData(5, 17, 13, 11, 70, 3)]
    [InlineData(1, 32, 48, 48, 32, 1)]
    [InlineData(1, 64, 24, 24, 64, 1)]
    [InlineData(2, 130, 12, 12, 20, 2)]
    [InlineData(9, 20, 5, 6, 40, 2)]
    [InlineData(5, 128, 12, 12, 70, 1)]
    [InlineData(3, 24, 10, 9, 17, 2)]
    [InlineData(1, 256, 12, 12, 256, 1)]
    public void Forward4x4MatchesReference(int n, int cin, int h, int w, int cout, int threads)
    {
        ForwardMatchesReferenceWith(4, n, cin, h, w, cout, threads);
    }

    [Theory]
    [InlineData(1, 1, 5, 4, 3, 1)]
    [InlineData(1, 8, 1, 1, 3, 1)]
    [InlineData(2, 9, 5, 7, 4, 2)]
    [InlineData(3, 16, 6, 6, 33, 2)]
    [InlineData(1, 16, 6, 6, 33, 1)]
    [InlineData(1, 128, 6, 6, 256, 1)]
    [InlineData(1, 256, 6, 6, 256, 1)]
    [InlineData(4, 256, 6, 6, 256, 2)]
    [InlineData(5, 17, 13, 11, 70, 3)]
    [InlineData(1, 24, 7, 8, 17, 1)]
    [InlineData(9, 20, 5, 6, 40, 2)]
    public void Forward3x3MatchesReference(int n, int cin, int h, int w, int cout, int threads)
    {
        ForwardMatchesReferenceWith(3, n, cin, h, w, cout, threads);
    }

    [Theory]
    [InlineData(1, 6, 6, 3)]
    [InlineData(4, 6, 6, 3)]
    [InlineData(5, 6, 6, 2)]
    [InlineData(1, 7, 7, 3)]
    [InlineData(1, 10, 10, 2)]
    [InlineData(1, 12, 12, 4)]
    [InlineData(64, 48, 48, 4)]
    public void OutputTileTakesF3x3OnlyWhereItNeedsFewerProductsAtSmallBatchesBelowAvx512(int n, int h, int w, int belowAvx512)
    {
        // 6x6: 4 x 25 products in F(3x3) against 9 x 16 in F(2x2); 10x10: 16 x 25 = 25 x 16, so F(2x2).
        var g = new ConvGeometry(n, 64, h, w, 64, 3, 3, 1, 1);
        int expected = belowAvx512 == 3 && DirectConvKernel.Lanes == 16 ? 2 : belowAvx512;
        ChannelLastWinogradKernel.OutputTile(g).Should().Be(expected);
    }

    private void ForwardMatchesReferenceWith(int tile, int n, int cin, int h, int w, int cout, int threads)
    {
        var g = new ConvGeometry(n, cin, h, w, cout, 3, 3, 1, 1);
        ChannelLastWinogradKernel.Supports(g).Should().BeTrue();
        float[] x = TestData.Floats(g.InputLength, 61), wt = TestData.Floats(g.WeightLength, 62, 0.5f);
        float[] scale = TestData.Floats(cout, 63), bias = TestData.Floats(cout, 64);
        double[] yConv = new double[g.OutputLength];
        Conv2dReference.Forward<double>(Array.ConvertAll(x, v => (double)v), Array.ConvertAll(wt, v => (double)v), ReadOnlySpan<double>.Empty, yConv, g);
        int saved = ParallelRows.MaxDegreeOfParallelism;
        try
        {
            ParallelRows.MaxDegreeOfParallelism = threads;
            float[] u = new float[ChannelLastWinogradKernel.TransformedWeightLength(g, tile)];
            ChannelLastWinogradKernel.TransformWeights(wt, scale, u, g, tile);
            foreach (bool relu in new[] { false, true })
            {
                // Garbage in the output and the scratch: every output must be written, no scratch value read unset.
                float[] y = Enumerable.Repeat(float.NaN, g.OutputLength).ToArray();
                float[] scratch = Enumerable.Repeat(12345f, ChannelLastWinogradKernel.BatchScratchLength(g, tile)).ToArray();
                ChannelLastWinogradKernel.Forward(x, u, bias, y, g, scratch, relu, tile);
                double difference = TestData.MaxScaledDifference(y, TestData.ScaledConvolution(yConv, scale, bias, g, relu));
                output.WriteLine($"F({tile}x{tile}) {g} relu {relu} threads {threads}: largest scaled difference {difference:E2}");
                difference.Should().BeLessThan(tile == 2 ? 1e-4 : 1e-3);
            }
        }
        finally
        {
            ParallelRows.MaxDegreeOfParallelism = saved;
        }
    }

    [Theory]
    [InlineData(7, 256, 6, 6, 256, 2)]
    [InlineData(6, 24, 5, 6, 40, 2)]
    [InlineData(3, 64, 12, 12, 128, 2)]
    [InlineData(5, 128, 12, 12, 128, 4)]
    [InlineData(6, 24, 5, 6, 40, 4)]
    [InlineData(4, 256, 6, 6, 256, 3)]
    [InlineData(6, 24, 5, 6, 40, 3)]
    public void ImagesSharingABlockGiveExactlyTheOneImageResult(int n, int cin, int h, int w, int cout, int tile)
    {
        // Blocks of several images on small maps run the same per-tile sums as one image at a time.
        var g = new ConvGeometry(n, cin, h, w, cout, 3, 3, 1, 1);
        var one = g.WithBatch(1);
        float[] x = TestData.Floats(g.InputLength, 81), wt = TestData.Floats(g.WeightLength, 82, 0.5f);
        float[] scale = TestData.Floats(cout, 83), bias = TestData.Floats(cout, 84);
        float[] u = new float[ChannelLastWinogradKernel.TransformedWeightLength(g, tile)];
        ChannelLastWinogradKernel.TransformWeights(wt, scale, u, g, tile);
        float[] y = new float[g.OutputLength];
        ChannelLastWinogradKernel.Forward(x.AsSpan(), u, bias, y, g, new float[ChannelLastWinogradKernel.ScratchLength(g, tile)], relu: true, tile);
        int inImage = cin * h * w, outImage = cout * h * w;
        for (int i = 0; i < n; i++)
        {
            float[] yOne = new float[outImage];
            ChannelLastWinogradKernel.Forward(x.AsSpan(i * inImage, inImage), u, bias, yOne, one, new float[ChannelLastWinogradKernel.ScratchLength(one, tile)], relu: true, tile);
            y.AsSpan(i * outImage, outImage).ToArray().Should().Equal(yOne, $"image {i} of {g}");
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void WithoutScaleOrBiasIsThePlainConvolution(int tile)
    {
        var g = new ConvGeometry(2, 8, 7, 5, 6, 3, 3, 1, 1);
        float[] x = TestData.Floats(g.InputLength, 71), wt = TestData.Floats(g.WeightLength, 72);
        float[] u = new float[ChannelLastWinogradKernel.TransformedWeightLength(g, tile)];
        ChannelLastWinogradKernel.TransformWeights(wt, ReadOnlySpan<float>.Empty, u, g, tile);
        float[] y = new float[g.OutputLength], yRef = new float[g.OutputLength];
        ChannelLastWinogradKernel.Forward(x, u, null, y, g, new float[ChannelLastWinogradKernel.BatchScratchLength(g, tile)], relu: false, tile);
        Conv2dReference.Forward<float>(x, wt, ReadOnlySpan<float>.Empty, yRef, g);
        TestData.MaxScaledDifference(y, yRef).Should().BeLessThan(1e-4);
    }

    [Fact]
    public void RejectsOtherGeometriesAndShortBuffers()
    {
        ChannelLastWinogradKernel.Supports(new ConvGeometry(1, 4, 8, 8, 4, 3, 3, 2, 1)).Should().BeFalse();
        ChannelLastWinogradKernel.Supports(new ConvGeometry(1, 4, 8, 8, 4, 5, 5, 1, 2)).Should().BeFalse();
        var g = new ConvGeometry(1, 4, 8, 8, 4, 3, 3, 1, 1);
        float[] u = new float[ChannelLastWinogradKernel.TransformedWeightLength(g)];
        var act = () => ChannelLastWinogradKernel.Forward(new float[g.InputLength], u, null, new float[g.OutputLength - 1], g,
            new float[ChannelLastWinogradKernel.BatchScratchLength(g)], relu: true);
        act.Should().Throw<ArgumentException>();
        var badTile = () => ChannelLastWinogradKernel.TransformWeights(new float[g.WeightLength], ReadOnlySpan<float>.Empty, new float[64 * 64], g, 5);
        badTile.Should().Throw<ArgumentOutOfRangeException>();
    }
}
