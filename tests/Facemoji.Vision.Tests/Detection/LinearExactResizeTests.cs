using Facemoji.Vision.Detection;
using Facemoji.Vision.Tests.Fixtures;

namespace Facemoji.Vision.Tests.Detection;

/// <summary>The pyramid resize against cv2.resize(INTER_LINEAR_EXACT) saved by tools/make_detector_fixtures.py.</summary>
[Trait("Category", "Kernels")]
public sealed class LinearExactResizeTests
{
    [Fact]
    public void Resize_matches_opencv_linear_exact_bit_for_bit()
    {
        DetectorFixtures.FixtureChecks checks = DetectorFixtures.Load().Checks;
        byte[] source = checks.Source.Pixels.Select(v => (byte)v).ToArray();
        checks.Resizes.Should().NotBeEmpty();
        foreach (DetectorFixtures.FixturePixels expected in checks.Resizes)
        {
            var resize = new LinearExactResize(checks.Source.Width, checks.Source.Height, expected.Width, expected.Height);
            byte[] actual = new byte[expected.Width * expected.Height];
            for (int y = 0; y < expected.Height; y++)
            {
                resize.ResizeRow(source, y, actual.AsSpan(y * expected.Width, expected.Width));
            }

            actual.Select(v => (int)v).Should().Equal(expected.Pixels, $"resize to {expected.Width}x{expected.Height}");
        }
    }

    [Fact]
    public void Same_size_is_a_copy_and_half_size_averages_2x2_blocks()
    {
        var random = new Random(3);
        byte[] source = new byte[16 * 10];
        random.NextBytes(source);

        var same = new LinearExactResize(16, 10, 16, 10);
        byte[] copy = new byte[source.Length];
        for (int y = 0; y < 10; y++)
        {
            same.ResizeRow(source, y, copy.AsSpan(y * 16, 16));
        }

        copy.Should().Equal(source);

        var half = new LinearExactResize(16, 10, 8, 5);
        byte[] row = new byte[8];
        half.ResizeRow(source, 2, row);
        for (int x = 0; x < 8; x++)
        {
            int s = source[4 * 16 + 2 * x] + source[4 * 16 + 2 * x + 1] + source[5 * 16 + 2 * x] + source[5 * 16 + 2 * x + 1];
            row[x].Should().Be((byte)((s + 2) >> 2));
        }
    }
}
