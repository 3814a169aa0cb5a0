using Facemoji.Expressions;

namespace Facemoji.Pipeline.Tracking;

/// <summary>
/// Smooths one face's probabilities over time and holds the shown label with hysteresis, so that the label and
/// the emoji do not flicker between two close classes from frame to frame.
/// The average is exponential in time (time constant <see cref="TimeConstantSeconds"/>), so it behaves the
/// same at 10 and at 30 frames a second. The shown emotion changes only when another class leads it by
/// <see cref="SwitchMargin"/>; the shown intensity changes only when the confidence crosses a threshold by
/// <see cref="IntensityBand"/>.
/// </summary>
internal sealed class ExpressionSmoother
{
    public const double TimeConstantSeconds = 0.3;
    public const float SwitchMargin = 0.08f;
    public const float IntensityBand = 0.04f;

    private readonly float[] smoothed = new float[EmotionNames.Count];
    private bool started;
    private Emotion shownEmotion;
    private Intensity shownIntensity;

    /// <summary>Adds a new reading taken <paramref name="secondsSinceLast"/> after the previous one and returns the smoothed reading.</summary>
    public ExpressionReading Update(IReadOnlyList<float> probabilities, double secondsSinceLast)
    {
        if (!started)
        {
            for (int i = 0; i < smoothed.Length; i++)
            {
                smoothed[i] = probabilities[i];
            }

            var first = new ExpressionReading(smoothed);
            (shownEmotion, shownIntensity, started) = (first.Emotion, first.Intensity, true);
            return first;
        }

        float alpha = (float)(1 - Math.Exp(-Math.Max(0, secondsSinceLast) / TimeConstantSeconds));
        for (int i = 0; i < smoothed.Length; i++)
        {
            smoothed[i] += alpha * (probabilities[i] - smoothed[i]);
        }

        var leader = new ExpressionReading(smoothed);
        if (leader.Emotion != shownEmotion && leader.Confidence >= smoothed[(int)shownEmotion] + SwitchMargin)
        {
            shownEmotion = leader.Emotion;
            shownIntensity = leader.Intensity;
        }
        else
        {
            shownIntensity = HoldIntensity(shownIntensity, smoothed[(int)shownEmotion]);
        }

        return new ExpressionReading(smoothed, shownEmotion, shownIntensity);
    }

    private static Intensity HoldIntensity(Intensity shown, float confidence)
    {
        var plain = ExpressionReading.IntensityOf(confidence);
        if (plain == shown)
        {
            return shown;
        }

        // Move only when the confidence is clearly past the threshold between the two levels.
        var above = ExpressionReading.IntensityOf(confidence - IntensityBand);
        var below = ExpressionReading.IntensityOf(confidence + IntensityBand);
        return plain > shown ? (above > shown ? above : shown) : (below < shown ? below : shown);
    }
}
