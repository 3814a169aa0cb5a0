namespace Facemoji.Training.Calibration;

/// <summary>
/// A network's raw outputs for N images seen through V views (test-time augmentation): Values is (V, N, C),
/// row-major. Probabilities are always derived from these, so a temperature can be fitted and applied after
/// the (slow) forward passes.
/// </summary>
public sealed class ViewLogits
{
    public ViewLogits(float[] values, int views, int count, int classes)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (views < 1 || count < 0 || classes < 2 || values.Length != (long)views * count * classes)
        {
            throw new ArgumentException($"{values.Length} logits do not make {views} views x {count} images x {classes} classes.", nameof(values));
        }

        Values = values;
        Views = views;
        Count = count;
        Classes = classes;
    }

    public float[] Values { get; }

    public int Views { get; }

    public int Count { get; }

    public int Classes { get; }

    /// <summary>
    /// The shown probabilities (N, C): the mean over the views of softmax(logits / temperature), the order in
    /// which the pipeline and evaluate combine views.
    /// </summary>
    public float[] Probabilities(double temperature)
    {
        if (!(temperature > 0) || !double.IsFinite(temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be a positive number.");
        }

        var result = new float[Count * Classes];
        var row = new double[Classes];
        double inverse = 1 / temperature, share = 1.0 / Views;
        for (int v = 0; v < Views; v++)
        {
            for (int i = 0; i < Count; i++)
            {
                var logits = Values.AsSpan((v * Count + i) * Classes, Classes);
                Softmax(logits, inverse, row);
                for (int c = 0; c < Classes; c++)
                {
                    result[i * Classes + c] += (float)(row[c] * share);
                }
            }
        }

        return result;
    }

    // logits (C) -> probabilities (C) = softmax(logits * inverseTemperature), in double
    internal static void Softmax(ReadOnlySpan<float> logits, double inverseTemperature, Span<double> probabilities)
    {
        double max = double.NegativeInfinity;
        foreach (float v in logits)
        {
            max = Math.Max(max, v * inverseTemperature);
        }

        double sum = 0;
        for (int c = 0; c < logits.Length; c++)
        {
            probabilities[c] = Math.Exp(logits[c] * inverseTemperature - max);
            sum += probabilities[c];
        }

        for (int c = 0; c < logits.Length; c++)
        {
            probabilities[c] /= sum;
        }
    }
}
