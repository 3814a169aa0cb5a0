using Facemoji.Vision.Detection;
using Facemoji.Vision.Tests.Fixtures;

namespace Facemoji.Vision.Tests.Detection;

[Trait("Category", "Kernels")]
public sealed class IntegralImageTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(3, 9)]
    [InlineData(31, 17)]
    public void Fast_tables_equal_the_naive_sums(int width, int height)
    {
        var random = new Random(width * 100 + height);
        byte[] image = new byte[width * height];
        random.NextBytes(image);
        int stride = width + 5;
        int size = (height + 1) * stride;
        int[] sum = new int[size], squares = new int[size], tilted = new int[size];
        int[] refSum = new int[size], refSquares = new int[size], refTilted = new int[size];

        IntegralImage.Compute(image, width, height, sum, squares, stride);
        IntegralImage.ComputeTilted(image, width, height, tilted, stride);
        IntegralImage.ComputeReference(image, width, height, refSum, refSquares, refTilted, stride);

        for (int y = 0; y <= height; y++)
        {
            for (int x = 0; x <= width; x++)
            {
                int i = y * stride + x;
                sum[i].Should().Be(refSum[i], $"sum at ({x},{y})");
                squares[i].Should().Be(refSquares[i], $"squares at ({x},{y})");
                tilted[i].Should().Be(refTilted[i], $"tilted at ({x},{y})");
            }
        }
    }

    [Fact]
    public void Tables_equal_opencv_integral3()
    {
        DetectorFixtures.FixtureChecks checks = DetectorFixtures.Load().Checks;
        int width = checks.Source.Width, height = checks.Source.Height, stride = width + 1;
        byte[] image = checks.Source.Pixels.Select(v => (byte)v).ToArray();
        int size = (height + 1) * stride;
        int[] sum = new int[size], squares = new int[size], tilted = new int[size];

        IntegralImage.Compute(image, width, height, sum, squares, stride);
        IntegralImage.ComputeTilted(image, width, height, tilted, stride);

        sum.Select(v => (long)v).Should().Equal(checks.Sum);
        squares.Select(v => (long)v).Should().Equal(checks.Squares); // small image: no 32-bit wrap
        tilted.Select(v => (long)v).Should().Equal(checks.Tilted);
    }

    [Fact]
    public void Square_sums_wrap_like_opencv_int32_yet_window_differences_stay_exact()
    {
        // 300x300 of 255 overflows a 32-bit total of squares; a 20x20 window difference must still be exact.
        const int width = 300, height = 300, stride = width + 1;
        byte[] image = Enumerable.Repeat((byte)255, width * height).ToArray();
        int[] sum = new int[(height + 1) * stride], squares = new int[(height + 1) * stride];

        IntegralImage.Compute(image, width, height, sum, squares, stride);

        int a = 250 * stride + 250, b = a + 20, c = a + 20 * stride, d = c + 20;
        uint window = unchecked((uint)(squares[a] - squares[b] - squares[c] + squares[d]));
        window.Should().Be(20u * 20u * 255u * 255u);
    }
}
