namespace Facemoji.Training.Calibration;

/// <summary>
/// How far probabilities are from the frequencies they claim. Expected calibration error (Naeini et al. 2015,
/// as Guo et al. 2017): the top probability of each image falls into one of B equal-width bins over [0, 1]
/// (a confidence exactly on an edge goes to the lower bin, as (lo, hi]); ECE = sum over bins of
/// (count / N) x |accuracy − mean confidence|. NLL: mean −ln p(true class), with p floored at 1e-12.
/// </summary>
public static class CalibrationMetrics
{
    public const int DefaultBins = 15;

    private const double ProbabilityFloor = 1e-12;

    /// <summary>One bin of a reliability diagram: its range, how many images, their mean top probability and the fraction right.</summary>
    public readonly record struct ReliabilityBin(double Lower, double Upper, int Count, double MeanConfidence, double Accuracy);

    /// <param name="probabilities">(N, classes), row-major.</param>
    public static IReadOnlyList<ReliabilityBin> Bins(ReadOnlySpan<float> probabilities, ReadOnlySpan<int> labels, int classes, int bins = DefaultBins)
    {
        Check(probabilities, labels, classes);
        if (bins < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(bins), bins, "At least one bin.");
        }

        var counts = new int[bins];
        var confidence = new double[bins];
        var correct = new int[bins];
        for (int i = 0; i < labels.Length; i++)
        {
            var row = probabilities.Slice(i * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            double p = row[best];
            // (lo, hi] bins: ceil(p * B) - 1, with p = 0 in the first bin.
            int bin = Math.Clamp((int)Math.Ceiling(p * bins) - 1, 0, bins - 1);
            counts[bin]++;
            confidence[bin] += p;
            correct[bin] += best == labels[i] ? 1 : 0;
        }

        var result = new ReliabilityBin[bins];
        for (int b = 0; b < bins; b++)
        {
            int n = counts[b];
            result[b] = new ReliabilityBin((double)b / bins, (double)(b + 1) / bins, n, n == 0 ? 0 : confidence[b] / n, n == 0 ? 0 : (double)correct[b] / n);
        }

        return result;
    }

    public static double ExpectedCalibrationError(ReadOnlySpan<float> probabilities, ReadOnlySpan<int> labels, int classes, int bins = DefaultBins) =>
        ExpectedCalibrationError(Bins(probabilities, labels, classes, bins));

    public static double ExpectedCalibrationError(IReadOnlyList<ReliabilityBin> bins)
    {
        long total = bins.Sum(b => (long)b.Count);
        return total == 0 ? 0 : bins.Sum(b => b.Count * Math.Abs(b.Accuracy - b.MeanConfidence)) / total;
    }

    public static double NegativeLogLikelihood(ReadOnlySpan<float> probabilities, ReadOnlySpan<int> labels, int classes)
    {
        Check(probabilities, labels, classes);
        if (labels.Length == 0)
        {
            return 0;
        }

        double sum = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            sum -= Math.Log(Math.Max(ProbabilityFloor, probabilities[i * classes + labels[i]]));
        }

        return sum / labels.Length;
    }

    private static void Check(ReadOnlySpan<float> probabilities, ReadOnlySpan<int> labels, int classes)
    {
        if (classes < 1 || probabilities.Length != labels.Length * classes)
        {
            throw new ArgumentException($"{probabilities.Length} probabilities are not {labels.Length} images x {classes} classes.", nameof(probabilities));
        }

        foreach (int label in labels)
        {
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentException($"Label {label} is outside 0..{classes - 1}.", nameof(labels));
            }
        }
    }
}
