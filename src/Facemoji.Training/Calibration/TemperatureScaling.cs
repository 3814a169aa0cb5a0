using Facemoji.Engine;
using Facemoji.Engine.Serialization;

namespace Facemoji.Training.Calibration;

/// <summary>
/// Temperature scaling (Guo et al. 2017): one number T, fitted to minimise the negative log-likelihood of the
/// true labels under softmax(logits / T) on held-out images. It leaves the arg-max (the accuracy) unchanged
/// and only makes the probabilities say how often they are right. With several views the fitted quantity is
/// the view-averaged probability, which is what is shown.
/// </summary>
internal static class TemperatureScaling
{
    /// <summary>Golden-section iterations on log T: the bracket [0.05, 20] shrinks to under 1e-9 of its width.</summary>
    private const int Iterations = 60;

    /// <summary>The temperature in [<see cref="ModelHeader.MinTemperature"/>, <see cref="ModelHeader.MaxTemperature"/>] that minimises the NLL of <paramref name="labels"/>.</summary>
    public static double Fit(ViewLogits logits, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (labels.Length != logits.Count)
        {
            throw new ArgumentException($"{labels.Length} labels for {logits.Count} images.", nameof(labels));
        }

        if (logits.Count == 0)
        {
            throw new FacemojiException("Cannot fit a temperature on no images.");
        }

        // The NLL of one view is convex in 1/T; the view average is smooth and, in practice, unimodal in log T:
        // golden-section search needs no gradient and never leaves the bracket.
        int[] truth = labels.ToArray();
        double lo = Math.Log(ModelHeader.MinTemperature), hi = Math.Log(ModelHeader.MaxTemperature);
        double ratio = (Math.Sqrt(5) - 1) / 2;
        double a = hi - ratio * (hi - lo), b = lo + ratio * (hi - lo);
        double fa = Nll(logits, truth, Math.Exp(a)), fb = Nll(logits, truth, Math.Exp(b));
        for (int i = 0; i < Iterations; i++)
        {
            if (fa <= fb)
            {
                hi = b;
                b = a;
                fb = fa;
                a = hi - ratio * (hi - lo);
                fa = Nll(logits, truth, Math.Exp(a));
            }
            else
            {
                lo = a;
                a = b;
                fa = fb;
                b = lo + ratio * (hi - lo);
                fb = Nll(logits, truth, Math.Exp(b));
            }
        }

        return Math.Exp((lo + hi) / 2);
    }

    /// <summary>Mean negative log-likelihood of the labels under the view-averaged softmax(logits / T).</summary>
    public static double Nll(ViewLogits logits, ReadOnlySpan<int> labels, double temperature) =>
        CalibrationMetrics.NegativeLogLikelihood(logits.Probabilities(temperature), labels, logits.Classes);
}
