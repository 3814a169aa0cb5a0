using Facemoji.Imaging;

namespace Facemoji.Testing;

/// <summary>
/// Compares images with tolerance (the ImageSharp way): reference output from OpenCV or PIL is matched when the
/// largest per-channel difference and the mean difference stay under limits. A failure names the worst pixel.
/// </summary>
public static class TolerantImageComparer
{
    public static ImageDifference Measure(ReadOnlySpan<byte> actual, ReadOnlySpan<byte> expected)
    {
        if (actual.Length != expected.Length)
        {
            throw new ArgumentException($"Sizes differ: {actual.Length} vs {expected.Length} values.");
        }

        int max = 0, worst = -1, differing = 0;
        long sum = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            int d = Math.Abs(actual[i] - expected[i]);
            sum += d;
            if (d > 0)
            {
                differing++;
            }

            if (d > max)
            {
                max = d;
                worst = i;
            }
        }

        return new ImageDifference(max, actual.Length == 0 ? 0 : (double)sum / actual.Length, worst, differing, actual.Length);
    }

    /// <summary>Asserts the pixels match within <paramref name="maxAbs"/> everywhere and <paramref name="maxMean"/> on average.</summary>
    public static void ShouldMatch(ReadOnlySpan<byte> actual, ReadOnlySpan<byte> expected, int width, int channels,
        int maxAbs = 1, double maxMean = 0.05, string because = "")
    {
        if (actual.Length != expected.Length)
        {
            throw new Xunit.Sdk.XunitException($"Image sizes differ: {actual.Length} vs {expected.Length} values {because}");
        }

        ImageDifference d = Measure(actual, expected);
        if (d.MaxAbs > maxAbs || d.MeanAbs > maxMean)
        {
            int pixel = d.WorstIndex / channels;
            throw new Xunit.Sdk.XunitException(
                $"Images differ {because}: max |diff| {d.MaxAbs} (limit {maxAbs}) at x={pixel % width}, y={pixel / width}, channel {d.WorstIndex % channels} " +
                $"(actual {actual[d.WorstIndex]}, expected {expected[d.WorstIndex]}); mean |diff| {d.MeanAbs:0.####} (limit {maxMean}); " +
                $"{d.DifferingValues} of {d.Values} values differ.");
        }
    }

    public static void ShouldMatch(RgbaImage actual, RgbaImage expected, int maxAbs = 1, double maxMean = 0.05, string because = "")
    {
        (actual.Width, actual.Height).Should().Be((expected.Width, expected.Height), because);
        ShouldMatch(actual.Pixels, expected.Pixels, actual.Width, 4, maxAbs, maxMean, because);
    }

    public static void ShouldMatch(GrayImage actual, GrayImage expected, int maxAbs = 1, double maxMean = 0.05, string because = "")
    {
        (actual.Width, actual.Height).Should().Be((expected.Width, expected.Height), because);
        ShouldMatch(actual.Pixels, expected.Pixels, actual.Width, 1, maxAbs, maxMean, because);
    }
}
