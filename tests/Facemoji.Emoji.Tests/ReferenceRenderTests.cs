using Facemoji.Emoji.Display;
using Facemoji.Emoji.Drawn;
using Facemoji.Emoji.Noto;
using Facemoji.Emoji.Tests.Support;
using Facemoji.Expressions;
using Facemoji.Imaging;

namespace Facemoji.Emoji.Tests;

/// <summary>Renders compared with the committed images in References/ (tolerant: small rounding differences pass, a changed face fails).</summary>
public class ReferenceRenderTests
{
    public static TheoryData<Emotion, Intensity> AllFaces()
    {
        var data = new TheoryData<Emotion, Intensity>();
        foreach (Emotion emotion in Enum.GetValues<Emotion>())
        {
            foreach (Intensity intensity in Enum.GetValues<Intensity>())
            {
                data.Add(emotion, intensity);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllFaces))]
    public void Drawn_faces_match_their_references(Emotion emotion, Intensity intensity) =>
        References.ShouldMatch(FacemojiPack.Instance.Render(emotion, intensity, 64), $"facemoji/{emotion.Name()}-{intensity.ToString().ToLowerInvariant()}-64.png");

    [SkippableFact]
    public void The_tolerance_tells_neighbouring_faces_apart()
    {
        // A reference test that passes for every face would prove nothing: mild happy is not clear happy.
        Skip.If(References.Updating, $"{References.UpdateVariable}=1 rewrites the references instead of comparing");

        var act = () => References.ShouldMatch(FacemojiPack.Instance.Render(Emotion.Happy, Intensity.Mild, 64), "facemoji/happy-clear-64.png");
        act.Should().Throw<Exception>();
        var nudged = () => References.ShouldMatch(FacemojiPack.Instance.Render(new ExpressionReading([0, 0, 0.1f, 0, 0, 0, 0.9f]), 64), "facemoji/neutral-strong-64.png");
        nudged.Should().Throw<Exception>("a 10% share of fear shows");
    }

    [Fact]
    public void A_large_drawn_face_matches_its_reference() =>
        References.ShouldMatch(FacemojiPack.Instance.Render(Emotion.Happy, Intensity.Strong, 256), "facemoji/happy-strong-256.png");

    [Fact]
    public void A_blended_face_matches_its_reference() =>
        References.ShouldMatch(
            FacemojiPack.Instance.Render(new ExpressionReading([0, 0, 0, 0.6f, 0, 0.4f, 0]), 96),
            "facemoji/happy60-surprise40-96.png");

    [Fact]
    public void Noto_glyphs_match_their_references()
    {
        // The font is part of set-up (fonts-noto-color-emoji): without it this test fails rather than passing unseen.
        File.Exists(NotoPack.DefaultFontPath).Should().BeTrue($"{NotoPack.DefaultFontPath} is installed by tools/setup.sh");
        var pack = NotoPack.Open(NotoPack.DefaultFontPath);
        References.ShouldMatch(pack.Render(Emotion.Fear, Intensity.Strong, 64), "noto/fear-strong-64.png");
        References.ShouldMatch(pack.Render(Emotion.Happy, Intensity.Clear, 64), "noto/happy-clear-64.png");
    }

    [Theory]
    [InlineData(DisplayMode.Cover)]
    [InlineData(DisplayMode.Badge)]
    [InlineData(DisplayMode.Panel)]
    public void Display_modes_match_their_references(DisplayMode mode) =>
        References.ShouldMatch(
            EmojiOverlay.Draw(OverlayTests.SyntheticFrame(), OverlayTests.TwoFaces(), mode, FacemojiPack.Instance),
            $"overlay/{mode.ToString().ToLowerInvariant()}.png");
}
