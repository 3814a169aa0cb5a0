using Facemoji.Expressions;

namespace Facemoji.Expressions.Tests;

public class EmotionNamesTests
{
    [Theory]
    [InlineData("angry", Emotion.Angry)]
    [InlineData("Anger", Emotion.Angry)]
    [InlineData("disgusted", Emotion.Disgust)]
    [InlineData("fearful", Emotion.Fear)]
    [InlineData("happiness", Emotion.Happy)]
    [InlineData("sadness", Emotion.Sad)]
    [InlineData("surprised", Emotion.Surprise)]
    [InlineData("natural", Emotion.Neutral)]
    public void Aliases_map_to_the_seven_labels(string name, Emotion expected)
    {
        EmotionNames.TryParse(name, out var emotion).Should().BeTrue();
        emotion.Should().Be(expected);
    }

    [Fact]
    public void Canonical_names_follow_the_csv_code_order()
    {
        for (int code = 0; code < EmotionNames.Count; code++)
        {
            EmotionNames.TryParse(EmotionNames.Canonical[code], out var emotion).Should().BeTrue();
            ((int)emotion).Should().Be(code);
        }
    }

    [Fact]
    public void Unknown_names_are_rejected() => EmotionNames.TryParse("bored", out _).Should().BeFalse();

    [Theory]
    [InlineData(0.30f, Intensity.Mild)]
    [InlineData(0.55f, Intensity.Clear)]
    [InlineData(0.79f, Intensity.Clear)]
    [InlineData(0.80f, Intensity.Strong)]
    public void Intensity_follows_the_documented_thresholds(float confidence, Intensity expected)
    {
        var p = new float[7];
        p[(int)Emotion.Happy] = confidence;
        p[(int)Emotion.Neutral] = 1 - confidence;
        var reading = new ExpressionReading(p);
        reading.Emotion.Should().Be(confidence >= 0.5f ? Emotion.Happy : Emotion.Neutral);
        reading.Intensity.Should().Be(ExpressionReading.IntensityOf(reading.Confidence));
        ExpressionReading.IntensityOf(confidence).Should().Be(expected);
    }
}
