using Facemoji.Engine.Kernels;
using Facemoji.Engine.Randomness;

namespace Facemoji.Engine.Tests.Support;

/// <summary>Deterministic random test inputs.</summary>
public static class TestData
{
    public static float[] Floats(int count, ulong seed, float scale = 1f)
    {
        var rng = new SeededRandom(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)rng.NextGaussian() * scale;
        }

        return values;
    }

    public static double[] Doubles(int count, ulong seed, double scale = 1.0)
    {
        var rng = new SeededRandom(seed);
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = rng.NextGaussian() * scale;
        }

        return values;
    }

    public static double[] ToDouble(float[] values) => Array.ConvertAll(values, v => (double)v);

    /// <summary>The largest |a − b| / (1 + |b|): absolute near zero, relative for large values.</summary>
    public static double MaxScaledDifference(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        actual.Length.Should().Be(expected.Length);
        double worst = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(actual[i] - (double)expected[i]) / (1 + Math.Abs(expected[i])));
        }

        return worst;
    }

    public static double MaxScaledDifference(ReadOnlySpan<float> actual, ReadOnlySpan<double> expected)
    {
        actual.Length.Should().Be(expected.Length);
        double worst = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]) / (1 + Math.Abs(expected[i])));
        }

        return worst;
    }

    /// <summary>
    /// What a fused inference convolution must give: the double-precision convolution <paramref name="convolution"/>
    /// (N,Cout,H,W) times the per-channel scale, plus the bias, then ReLU when asked, rounded to float.
    /// </summary>
    internal static float[] ScaledConvolution(ReadOnlySpan<double> convolution, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias, in ConvGeometry g, bool relu)
    {
        int plane = g.OutHeight * g.OutWidth;
        var expected = new float[convolution.Length];
        for (int i = 0; i < expected.Length; i++)
        {
            int co = i / plane % g.OutChannels;
            double v = (scale[co] * convolution[i]) + bias[co];
            expected[i] = (float)(relu ? Math.Max(v, 0) : v);
        }

        return expected;
    }
}
