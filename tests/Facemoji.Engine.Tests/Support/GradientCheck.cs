namespace Facemoji.Engine.Tests.Support;

/// <summary>
/// Central finite differences in double precision. The checked function is a scalar loss L(values); each
/// value is nudged by ±h in place and put back.
/// </summary>
public static class GradientCheck
{
    public static double[] Numerical(double[] values, Func<double> loss, double h = 1e-6)
    {
        var gradient = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double saved = values[i];
            values[i] = saved + h;
            double plus = loss();
            values[i] = saved - h;
            double minus = loss();
            values[i] = saved;
            gradient[i] = (plus - minus) / (2 * h);
        }

        return gradient;
    }

    /// <summary>The largest |analytic − numerical| / max(1, |analytic|, |numerical|).</summary>
    public static double MaxRelativeError(ReadOnlySpan<double> analytic, ReadOnlySpan<double> numerical)
    {
        analytic.Length.Should().Be(numerical.Length);
        double worst = 0;
        for (int i = 0; i < analytic.Length; i++)
        {
            double scale = Math.Max(1.0, Math.Max(Math.Abs(analytic[i]), Math.Abs(numerical[i])));
            worst = Math.Max(worst, Math.Abs(analytic[i] - numerical[i]) / scale);
        }

        return worst;
    }

    /// <summary>Σ upstream·output: the scalar whose gradient with respect to output is upstream.</summary>
    public static double Dot(ReadOnlySpan<double> upstream, ReadOnlySpan<double> output)
    {
        double sum = 0;
        for (int i = 0; i < output.Length; i++)
        {
            sum += upstream[i] * output[i];
        }

        return sum;
    }
}
