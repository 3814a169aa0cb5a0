namespace Facemoji.Expressions;

/// <summary>
/// The classifier's answer for one face: the seven probabilities (code order) and what follows from them.
/// Intensity comes from the top probability: below <see cref="ClearThreshold"/> the expression is mild,
/// from <see cref="StrongThreshold"/> on it is strong, and clear in between.
/// </summary>
public sealed class ExpressionReading
{
    public const float ClearThreshold = 0.55f;
    public const float StrongThreshold = 0.80f;

    public ExpressionReading(IReadOnlyList<float> probabilities)
    {
        if (probabilities.Count != EmotionNames.Count)
        {
            throw new ArgumentException($"Expected {EmotionNames.Count} probabilities, got {probabilities.Count}.", nameof(probabilities));
        }

        Probabilities = probabilities.ToArray();
        int best = 0;
        for (int i = 1; i < Probabilities.Count; i++)
        {
            if (Probabilities[i] > Probabilities[best])
            {
                best = i;
            }
        }

        Emotion = (Emotion)best;
        Confidence = Probabilities[best];
        Intensity = IntensityOf(Confidence);
    }

    /// <summary>
    /// A reading whose label is decided elsewhere: video smoothing holds the shown emotion and intensity with
    /// hysteresis, so they need not be the arg-max of the smoothed probabilities.
    /// </summary>
    public ExpressionReading(IReadOnlyList<float> probabilities, Emotion emotion, Intensity intensity)
        : this(probabilities)
    {
        Emotion = emotion;
        Confidence = Probabilities[(int)emotion];
        Intensity = intensity;
    }

    public IReadOnlyList<float> Probabilities { get; }

    public Emotion Emotion { get; }

    public float Confidence { get; }

    public Intensity Intensity { get; }

    public float this[Emotion emotion] => Probabilities[(int)emotion];

    public static Intensity IntensityOf(float confidence) =>
        confidence >= StrongThreshold ? Intensity.Strong
        : confidence >= ClearThreshold ? Intensity.Clear
        : Intensity.Mild;
}
