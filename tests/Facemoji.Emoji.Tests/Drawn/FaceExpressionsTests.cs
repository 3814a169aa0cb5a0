using Facemoji.Emoji.Drawn;
using Facemoji.Expressions;

namespace Facemoji.Emoji.Tests.Drawn;

public class FaceExpressionsTests
{
    [Fact]
    public void A_certain_reading_is_the_table_entry_of_its_emotion_at_strong_intensity()
    {
        foreach (Emotion emotion in Enum.GetValues<Emotion>())
        {
            var probabilities = new float[7];
            probabilities[(int)emotion] = 1;
            var face = FaceExpressions.ForProbabilities(probabilities);
            FaceParameters.MaxDifference(face, FaceExpressions.For(emotion, Intensity.Strong)).Should().BeLessThan(1e-6f, emotion.ToString());
        }
    }

    [Fact]
    public void The_blend_weighs_each_emotion_by_its_probability()
    {
        // 60% happy, 40% surprise: each at the level of its own probability, mixed 60/40.
        float[] probabilities = [0, 0, 0, 0.6f, 0, 0.4f, 0];
        var face = FaceExpressions.ForProbabilities(probabilities);
        var happy = FaceExpressions.At(Emotion.Happy, FaceExpressions.LevelOf(0.6f));
        var surprise = FaceExpressions.At(Emotion.Surprise, FaceExpressions.LevelOf(0.4f));
        face.MouthCurve.Should().BeApproximately(0.6f * happy.MouthCurve + 0.4f * surprise.MouthCurve, 1e-5f);
        face.MouthOpen.Should().BeApproximately(0.6f * happy.MouthOpen + 0.4f * surprise.MouthOpen, 1e-5f);
        face.EyeWhite.Should().BeApproximately(0.4f * surprise.EyeWhite, 1e-5f);
        face.BrowHeight.Should().BeGreaterThan(0, "the surprised share lifts the brows");
        face.MouthCurve.Should().BeGreaterThan(0, "the happy share curves the mouth up");
    }

    [Fact]
    public void Parameters_move_continuously_with_the_probabilities()
    {
        // Walk from pure happy to pure surprise and from pure sad to pure angry in small steps: every step moves
        // every knob by a small amount (no jumps at the intensity thresholds).
        foreach (var (from, to) in new[] { (Emotion.Happy, Emotion.Surprise), (Emotion.Sad, Emotion.Angry), (Emotion.Neutral, Emotion.Fear) })
        {
            FaceParameters? previous = null;
            const int steps = 400;
            for (int i = 0; i <= steps; i++)
            {
                float t = i / (float)steps;
                var probabilities = new float[7];
                probabilities[(int)from] = 1 - t;
                probabilities[(int)to] = t;
                var face = FaceExpressions.ForProbabilities(probabilities);
                if (previous is not null)
                {
                    FaceParameters.MaxDifference(previous, face).Should().BeLessThan(0.03f, $"{from}->{to} at t={t}");
                }

                previous = face;
            }
        }
    }

    [Theory]
    [InlineData(0.2f, 0f)]
    [InlineData(0.45f, 0f)]
    [InlineData(0.675f, 1f)]
    [InlineData(0.9f, 2f)]
    [InlineData(1f, 2f)]
    public void Levels_follow_the_probability(float probability, float level) =>
        FaceExpressions.LevelOf(probability).Should().BeApproximately(level, 1e-5f);

    [Fact]
    public void Bad_probability_vectors_are_refused()
    {
        var act = () => FaceExpressions.ForProbabilities([0.5f, 0.5f]);
        act.Should().Throw<ArgumentException>().WithMessage("*7 probabilities*");
        var nan = () => FaceExpressions.ForProbabilities([float.NaN, 0, 0, 1, 0, 0, 0]);
        nan.Should().Throw<ArgumentException>().WithMessage("*angry*");
    }
}
