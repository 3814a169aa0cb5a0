using Facemoji.Expressions;

namespace Facemoji.Training.Runs;

/// <summary>Loss weights per class from the training counts, scaled so that the average weight over the training images is 1 (the loss keeps its usual size).</summary>
public static class ClassWeights
{
    public static float[]? Compute(ReadOnlySpan<int> counts, ClassBalance balance)
    {
        if (balance == ClassBalance.None)
        {
            return null;
        }

        var weights = new double[counts.Length];
        double total = 0, weighted = 0;
        for (int c = 0; c < counts.Length; c++)
        {
            // A class without training images gets weight 0: it never appears as a target anyway.
            weights[c] = counts[c] == 0 ? 0 : balance == ClassBalance.Inverse ? 1.0 / counts[c] : 1.0 / Math.Sqrt(counts[c]);
            total += counts[c];
            weighted += counts[c] * weights[c];
        }

        double scale = weighted == 0 ? 1 : total / weighted;
        return weights.Select(w => (float)(w * scale)).ToArray();
    }

    /// <summary>"angry 0.95, disgust 2.88, ..." for logs.</summary>
    public static string Describe(float[]? weights) =>
        weights is null ? "none" : string.Join(", ", weights.Select((w, i) => $"{EmotionNames.Canonical[i]} {w:F2}"));
}
