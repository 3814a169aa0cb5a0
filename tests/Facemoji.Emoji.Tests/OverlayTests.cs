using Facemoji.Emoji.Display;
using Facemoji.Emoji.Drawn;
using Facemoji.Expressions;
using Facemoji.Imaging;

namespace Facemoji.Emoji.Tests;

public class OverlayTests
{
    /// <summary>A 320x240 frame with a soft diagonal gradient, standing in for a photo.</summary>
    public static RgbaImage SyntheticFrame()
    {
        var frame = new RgbaImage(320, 240);
        for (int y = 0; y < frame.Height; y++)
        {
            for (int x = 0; x < frame.Width; x++)
            {
                int i = (y * frame.Width + x) * 4;
                frame.Pixels[i] = (byte)(60 + x / 4);
                frame.Pixels[i + 1] = (byte)(90 + y / 4);
                frame.Pixels[i + 2] = 120;
                frame.Pixels[i + 3] = 255;
            }
        }

        return frame;
    }

    public static IReadOnlyList<(PixelRect Box, ExpressionReading Reading)> TwoFaces() =>
    [
        (new PixelRect(40, 60, 110, 120), new ExpressionReading([0.02f, 0.01f, 0.02f, 0.86f, 0.02f, 0.05f, 0.02f])),
        (new PixelRect(210, 100, 60, 64), new ExpressionReading([0.1f, 0.05f, 0.1f, 0.05f, 0.5f, 0.1f, 0.1f])),
    ];

    [Fact]
    public void Cover_puts_the_emoji_over_the_face_and_leaves_the_rest_and_the_input_alone()
    {
        var frame = SyntheticFrame();
        byte[] before = (byte[])frame.Pixels.Clone();
        var output = EmojiOverlay.Draw(frame, TwoFaces(), DisplayMode.Cover, FacemojiPack.Instance);
        frame.Pixels.Should().Equal(before, "the input frame is not modified");
        (output.Width, output.Height).Should().Be((320, 240));

        // The box centre shows the emoji's yellow head; a far corner is the untouched frame.
        var center = Pixel(output, 95, 100);
        center.R.Should().BeGreaterThan(200);
        center.G.Should().BeGreaterThan(150);
        center.B.Should().BeLessThan(120);
        Pixel(output, 5, 5).Should().Be(Pixel(frame, 5, 5));
        Pixel(output, 300, 20).Should().Be(Pixel(frame, 300, 20));
    }

    [Fact]
    public void Cover_square_is_centred_on_the_box_with_a_margin()
    {
        var square = EmojiOverlay.CoverSquare(new PixelRect(100, 50, 80, 100));
        square.Width.Should().Be(square.Height).And.Be(112);
        (square.X + square.Width / 2).Should().Be(140);
        (square.Y + square.Height / 2).Should().Be(100);
    }

    [Fact]
    public void Badge_draws_the_box_in_the_emotion_colour_and_a_small_emoji_beside_it()
    {
        var faces = TwoFaces();
        var output = EmojiOverlay.Draw(SyntheticFrame(), faces, DisplayMode.Badge, FacemojiPack.Instance);
        var happy = EmotionColors.Of(Emotion.Happy);
        var leftEdge = Pixel(output, 40, 120);
        (leftEdge.R, leftEdge.G, leftEdge.B).Should().Be((happy.R, happy.G, happy.B), "the box outline is drawn in the happy colour");
        var inside = Pixel(output, 95, 120);
        inside.Should().Be(Pixel(SyntheticFrame(), 95, 120), "the face itself stays visible");

        // The emoji sits right of the first box: some yellow pixels there.
        int yellow = 0;
        for (int y = 60; y < 110; y++)
        {
            for (int x = 152; x < 200; x++)
            {
                var p = Pixel(output, x, y);
                yellow += p.R > 220 && p.G > 160 && p.B < 110 ? 1 : 0;
            }
        }

        yellow.Should().BeGreaterThan(200);
    }

    [Fact]
    public void Panel_adds_a_panel_on_the_right_with_bars_for_the_main_face()
    {
        var frame = SyntheticFrame();
        var output = EmojiOverlay.Draw(frame, TwoFaces(), DisplayMode.Panel, FacemojiPack.Instance);
        output.Width.Should().Be(frame.Width + EmojiOverlay.PanelWidth(frame.Height));
        output.Height.Should().BeGreaterThanOrEqualTo(frame.Height);
        Pixel(output, 5, 5).Should().Be(Pixel(frame, 5, 5), "the frame is on the left, unscaled");

        // The happy bar (86%) is long: count happy-coloured pixels in the panel.
        var happy = EmotionColors.Of(Emotion.Happy);
        var sad = EmotionColors.Of(Emotion.Sad);
        int happyPixels = 0, sadPixels = 0;
        for (int y = 0; y < output.Height; y++)
        {
            for (int x = frame.Width; x < output.Width; x++)
            {
                var p = Pixel(output, x, y);
                happyPixels += (p.R, p.G, p.B) == (happy.R, happy.G, happy.B) ? 1 : 0;
                sadPixels += (p.R, p.G, p.B) == (sad.R, sad.G, sad.B) ? 1 : 0;
            }
        }

        happyPixels.Should().BeGreaterThan(sadPixels * 10, "the bars belong to the largest face (86% happy, 2% sad)");
    }

    [Fact]
    public void No_faces_gives_a_copy_or_an_empty_panel()
    {
        var frame = SyntheticFrame();
        EmojiOverlay.Draw(frame, [], DisplayMode.Cover, FacemojiPack.Instance).Pixels.Should().Equal(frame.Pixels);
        EmojiOverlay.Draw(frame, [], DisplayMode.Badge, FacemojiPack.Instance).Pixels.Should().Equal(frame.Pixels);
        EmojiOverlay.Draw(frame, [], DisplayMode.Panel, FacemojiPack.Instance).Width.Should().BeGreaterThan(frame.Width);
    }

    [Fact]
    public void Boxes_past_the_edges_and_empty_boxes_do_not_crash()
    {
        var reading = new ExpressionReading([0, 0, 0, 0, 0, 1, 0]);
        (PixelRect, ExpressionReading)[] faces =
        [
            (new PixelRect(-50, -40, 120, 120), reading),
            (new PixelRect(280, 200, 100, 100), reading),
            (new PixelRect(10, 10, 0, 0), reading),
        ];
        foreach (DisplayMode mode in Enum.GetValues<DisplayMode>())
        {
            var act = () => EmojiOverlay.Draw(SyntheticFrame(), faces, mode, FacemojiPack.Instance);
            act.Should().NotThrow(mode.ToString());
        }
    }

    internal static Rgba32 Pixel(RgbaImage image, int x, int y)
    {
        int i = (y * image.Width + x) * 4;
        return new Rgba32(image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2], image.Pixels[i + 3]);
    }
}
