using Facemoji.Expressions;
using Facemoji.Pipeline.Tracking;

namespace Facemoji.Pipeline.Tests.Tracking;

public class ExpressionSmootherTests
{
    private static float[] Mix(Emotion a, float pa, Emotion b)
    {
        var p = new float[7];
        p[(int)a] = pa;
        p[(int)b] += 1 - pa;
        return p;
    }

    [Fact]
    public void Alternating_close_readings_do_not_flip_the_label()
    {
        var smoother = new ExpressionSmoother();
        var shown = new List<Emotion>();
        for (int frame = 0; frame < 60; frame++)
        {
            // Happy and neutral trade the lead by a hair every frame: raw arg-max would flicker 60 times.
            var p = frame % 2 == 0 ? Mix(Emotion.Happy, 0.52f, Emotion.Neutral) : Mix(Emotion.Neutral, 0.52f, Emotion.Happy);
            shown.Add(smoother.Update(p, 1 / 25.0).Emotion);
        }

        shown.Distinct().Should().ContainSingle();
    }

    [Fact]
    public void A_lasting_change_of_expression_is_followed_within_a_second()
    {
        var smoother = new ExpressionSmoother();
        for (int frame = 0; frame < 25; frame++)
        {
            smoother.Update(Mix(Emotion.Neutral, 0.9f, Emotion.Happy), 1 / 25.0).Emotion.Should().Be(Emotion.Neutral);
        }

        int framesToSwitch = 0;
        while (smoother.Update(Mix(Emotion.Happy, 0.9f, Emotion.Neutral), 1 / 25.0).Emotion != Emotion.Happy)
        {
            framesToSwitch++;
            framesToSwitch.Should().BeLessThan(25, "a clear new expression must show within a second");
        }

        framesToSwitch.Should().BeGreaterThan(0, "one frame alone must not switch the label");
    }

    [Fact]
    public void Smoothing_depends_on_time_not_on_frame_rate()
    {
        ExpressionReading Run(int fps)
        {
            var smoother = new ExpressionSmoother();
            smoother.Update(Mix(Emotion.Sad, 1f, Emotion.Neutral), 0);
            ExpressionReading last = null!;
            for (int i = 0; i < fps / 2; i++)
            {
                last = smoother.Update(Mix(Emotion.Surprise, 1f, Emotion.Neutral), 1.0 / fps);
            }

            return last;
        }

        Run(10)[Emotion.Surprise].Should().BeApproximately(Run(30)[Emotion.Surprise], 1e-4f);
    }
}
