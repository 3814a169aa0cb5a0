using Facemoji.Engine.Kernels;
using Facemoji.Engine.Tests.Support;

namespace Facemoji.Engine.Tests.Kernels;

/// <summary>The direct convolution split over threads gives exactly what one thread gives over the whole batch.</summary>
[Trait("Category", "Kernels")]
[Collection("ParallelRows settings")]
public sealed class DirectConvBatchesTests
{
    [Theory]
    [InlineData(7, 1)]
    [InlineData(7, 2)]
    [InlineData(5, 3)]
    [InlineData(2, 3)]
    public void SplittingImagesOverThreadsChangesNothing(int batch, int threads)
    {
        var g = new ConvGeometry(batch, 5, 9, 7, 6, 3, 3, 1, 1);
        float[] x = TestData.Floats(g.InputLength, 51), wt = TestData.Floats(g.WeightLength, 52);
        float[] scale = TestData.Floats(g.OutChannels, 53), bias = TestData.Floats(g.OutChannels, 54);
        float[] packed = new float[DirectConvKernel.PackedWeightLength(g)];
        DirectConvKernel.PackWeights(wt, scale, packed, g);
        float[] expected = new float[g.OutputLength];
        DirectConvKernel.Forward(x, packed, bias, expected, g, new float[DirectConvKernel.ScratchLength(g)], relu: true);
        int saved = ParallelRows.MaxDegreeOfParallelism;
        try
        {
            ParallelRows.MaxDegreeOfParallelism = threads;
            float[] y = Enumerable.Repeat(float.NaN, g.OutputLength).ToArray();
            DirectConvBatches.Forward(x, packed, bias, y, g, new float[DirectConvBatches.ScratchLength(g)], relu: true);
            y.Should().Equal(expected);
            var act = () => DirectConvBatches.Forward(x, packed, bias, y, g, new float[DirectConvKernel.ScratchLength(g) - 1], relu: true);
            act.Should().Throw<ArgumentException>();
        }
        finally
        {
            ParallelRows.MaxDegreeOfParallelism = saved;
        }
    }
}
