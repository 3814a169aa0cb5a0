using Facemoji.Expressions;

namespace Facemoji.Emoji.Tests;

public class UnicodeEmojiTests
{
    [Fact]
    public void Every_emotion_and_intensity_has_a_distinct_single_codepoint_emoji()
    {
        var seen = new HashSet<string>();
        foreach (Emotion emotion in Enum.GetValues<Emotion>())
        {
            foreach (Intensity intensity in Enum.GetValues<Intensity>())
            {
                string emoji = UnicodeEmoji.For(emotion, intensity);
                emoji.EnumerateRunes().Should().ContainSingle($"{emotion}/{intensity} is one codepoint");
                emoji.EnumerateRunes().Single().Value.Should().Be(UnicodeEmoji.Codepoint(emotion, intensity));
                seen.Add(emoji).Should().BeTrue($"{emotion}/{intensity} has its own emoji");
            }
        }

        seen.Should().HaveCount(21);
    }

    [Fact]
    public void The_documented_examples_hold()
    {
        UnicodeEmoji.For(Emotion.Happy, Intensity.Mild).Should().Be("🙂");
        UnicodeEmoji.For(Emotion.Happy, Intensity.Clear).Should().Be("😀");
        UnicodeEmoji.For(Emotion.Happy, Intensity.Strong).Should().Be("😄");
        UnicodeEmoji.For(Emotion.Fear, Intensity.Mild).Should().Be("😟");
        UnicodeEmoji.For(Emotion.Fear, Intensity.Clear).Should().Be("😨");
        UnicodeEmoji.For(Emotion.Fear, Intensity.Strong).Should().Be("😱");
    }

    [Fact]
    public void A_reading_gets_the_emoji_of_its_top_emotion_and_intensity()
    {
        var reading = new ExpressionReading([0.02f, 0.01f, 0.02f, 0.05f, 0.85f, 0.03f, 0.02f]);
        UnicodeEmoji.For(reading).Should().Be("😭");
    }
}
