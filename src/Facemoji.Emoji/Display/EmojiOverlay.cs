using Facemoji.Expressions;
using Facemoji.Imaging;
using Facemoji.Imaging.Drawing;

namespace Facemoji.Emoji.Display;

/// <summary>
/// Draws the emoji of the faces on a frame in one of the three <see cref="DisplayMode"/>s. The frame is not
/// changed: the result is a new image (same size for cover and badge, wider for panel). The pipeline calls
/// this for photos and video frames; the web app offers the same modes. Drawing is Facemoji.Imaging's
/// <see cref="Painter"/>; emoji come from any <see cref="IEmojiPack"/>.
/// </summary>
public static class EmojiOverlay
{
    /// <summary>Cover mode: the emoji is this much larger than the face box's longer side (the margin).</summary>
    public const float CoverScale = 1.12f;

    /// <summary>Emoji are rendered at most this large and scaled up beyond (a face box in a 4K frame can exceed it).</summary>
    public const int MaxEmojiRender = 1024;

    private static readonly Rgba32 PanelBackground = new(30, 32, 38);
    private static readonly Rgba32 BarBackground = new(62, 66, 76);
    private static readonly Rgba32 White = new(255, 255, 255);
    private static readonly Rgba32 LabelGray = new(190, 192, 198);

    /// <summary>
    /// Draws <paramref name="faces"/> (box in frame pixels, classifier reading) onto a copy of
    /// <paramref name="frame"/> with the emoji of <paramref name="pack"/>. Boxes may reach past the frame's
    /// edges; what falls outside is clipped; empty boxes are skipped. With no faces, cover and badge return a
    /// plain copy and panel shows the frame beside an empty panel.
    /// </summary>
    public static RgbaImage Draw(RgbaImage frame, IReadOnlyList<(PixelRect Box, ExpressionReading Reading)> faces, DisplayMode mode, IEmojiPack pack) =>
        Draw(frame, faces, mode, pack, null);

    /// <summary>As the plain overload; in cover mode each emoji turns with its head by <paramref name="rolls"/> (degrees, clockwise, one per face).</summary>
    public static RgbaImage Draw(RgbaImage frame, IReadOnlyList<(PixelRect Box, ExpressionReading Reading)> faces, DisplayMode mode, IEmojiPack pack, IReadOnlyList<double>? rolls)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(faces);
        ArgumentNullException.ThrowIfNull(pack);
        return mode switch
        {
            DisplayMode.Cover => Cover(frame, faces, pack, rolls),
            DisplayMode.Badge => Badge(frame, faces, pack),
            DisplayMode.Panel => Panel(frame, faces, pack),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown display mode."),
        };
    }

    /// <summary>The width of the panel that <see cref="DisplayMode.Panel"/> adds to a frame of this height.</summary>
    public static int PanelWidth(int frameHeight) => Math.Clamp(frameHeight * 3 / 4, 240, 720);

    /// <summary>The square the cover emoji fills for a face box: centred on the box, <see cref="CoverScale"/> times its longer side.</summary>
    public static PixelRect CoverSquare(PixelRect box)
    {
        int side = Math.Max(1, (int)MathF.Round(Math.Max(box.Width, box.Height) * CoverScale));
        int centerX = box.X + box.Width / 2, centerY = box.Y + box.Height / 2;
        return new PixelRect(centerX - side / 2, centerY - side / 2, side, side);
    }

    private static RgbaImage Cover(RgbaImage frame, IReadOnlyList<(PixelRect Box, ExpressionReading Reading)> faces, IEmojiPack pack, IReadOnlyList<double>? rolls)
    {
        var output = Copy(frame);
        for (int i = 0; i < faces.Count; i++)
        {
            var (box, reading) = faces[i];
            if (box.Width > 0 && box.Height > 0)
            {
                var square = CoverSquare(box);
                var emoji = pack.Render(reading, Math.Min(square.Width, MaxEmojiRender));
                double roll = rolls is not null && i < rolls.Count ? rolls[i] : 0;
                if (Math.Abs(roll) >= 1)
                {
                    emoji = Imaging.Processing.Rotation.Rotate(emoji, roll, Rgba32.Transparent);
                }

                Painter.DrawImage(output, emoji, square);
            }
        }

        return output;
    }

    private static RgbaImage Badge(RgbaImage frame, IReadOnlyList<(PixelRect Box, ExpressionReading Reading)> faces, IEmojiPack pack)
    {
        var output = Copy(frame);
        foreach (var (box, reading) in faces)
        {
            if (box.Width <= 0 || box.Height <= 0)
            {
                continue;
            }

            DrawBoxAndLabel(output, box, reading, emphasis: true);
            int emojiSize = Math.Clamp(box.Height * 2 / 5, 24, 256);
            int gap = Math.Max(3, emojiSize / 10);
            int x = box.Right + gap;
            if (x + emojiSize > output.Width)
            {
                // No room on the right: the left side, else inside the box's top-right corner.
                x = box.X - gap - emojiSize >= 0 ? box.X - gap - emojiSize : box.Right - emojiSize;
            }

            Painter.DrawImage(output, pack.Render(reading, emojiSize), new PixelRect(x, Math.Max(0, box.Y), emojiSize, emojiSize));
        }

        return output;
    }

    private static RgbaImage Panel(RgbaImage frame, IReadOnlyList<(PixelRect Box, ExpressionReading Reading)> faces, IEmojiPack pack)
    {
        // The main face is the largest; every face gets its box on the frame, the main one a bolder one.
        int main = -1;
        for (int i = 0; i < faces.Count; i++)
        {
            if (faces[i].Box.Width > 0 && faces[i].Box.Height > 0 && (main < 0 || faces[i].Box.Area > faces[main].Box.Area))
            {
                main = i;
            }
        }

        var annotated = Copy(frame);
        for (int i = 0; i < faces.Count; i++)
        {
            if (faces[i].Box.Width > 0 && faces[i].Box.Height > 0)
            {
                DrawBoxAndLabel(annotated, faces[i].Box, faces[i].Reading, emphasis: i == main);
            }
        }

        // Layout: the emoji on top, then per emotion a line "name ... NN%" over a full-width bar.
        int panelWidth = PanelWidth(frame.Height);
        int scale = frame.Height >= 720 ? 3 : frame.Height >= 400 ? 2 : 1;
        int textHeight = LabelFont.Default.LineHeight(scale);
        int barHeight = Math.Max(6, 4 * scale);
        int rowHeight = textHeight + 2 * scale + barHeight + 3 * scale + 2;
        int margin = Math.Max(10, panelWidth / 16);
        int minimumEmoji = 96;
        int height = Math.Max(frame.Height, 3 * margin + minimumEmoji + 7 * rowHeight);
        int emojiSize = Math.Min(panelWidth - 2 * margin, height - 3 * margin - 7 * rowHeight);

        var output = new RgbaImage(frame.Width + panelWidth, height);
        Painter.FillRectangle(output, new PixelRect(0, 0, output.Width, height), PanelBackground);
        Paste(output, annotated, 0, 0);

        int left = frame.Width + margin, right = output.Width - margin;
        if (main < 0)
        {
            Painter.DrawText(output, "no face", left, margin, LabelGray, scale);
        }
        else
        {
            var square = new PixelRect(frame.Width + (panelWidth - emojiSize) / 2, margin, emojiSize, emojiSize);
            Painter.DrawImage(output, pack.Render(faces[main].Reading, Math.Min(emojiSize, MaxEmojiRender)), square);
        }

        int top = 2 * margin + emojiSize;
        for (int e = 0; e < EmotionNames.Count; e++)
        {
            var emotion = (Emotion)e;
            float p = main < 0 ? 0 : Math.Clamp(faces[main].Reading[emotion], 0, 1);
            bool isTop = main >= 0 && faces[main].Reading.Emotion == emotion;
            var ink = isTop ? White : LabelGray;
            int y = top + e * rowHeight;
            string percent = $"{MathF.Round(p * 100):0}%";
            Painter.DrawText(output, emotion.Name(), left, y, ink, scale);
            Painter.DrawText(output, percent, right - LabelFont.Default.Measure(percent, scale).Width, y, ink, scale);
            var bar = new PixelRect(left, y + textHeight + 2 * scale, right - left, barHeight);
            Painter.FillRectangle(output, bar, BarBackground);
            int filled = (int)MathF.Round(bar.Width * p);
            if (filled > 0)
            {
                Painter.FillRectangle(output, bar with { Width = filled }, EmotionColors.Of(emotion));
            }
        }

        return output;
    }

    private static void DrawBoxAndLabel(RgbaImage output, PixelRect box, ExpressionReading reading, bool emphasis)
    {
        var color = EmotionColors.Of(reading.Emotion);
        int thickness = Math.Max(emphasis ? 2 : 1, Math.Min(box.Width, box.Height) / (emphasis ? 60 : 120));
        Painter.StrokeRectangle(output, box, color, thickness);

        int scale = box.Height >= 240 ? 3 : box.Height >= 90 ? 2 : 1;
        string label = $"{reading.Emotion.Name()} {MathF.Round(reading.Confidence * 100):0}%";
        var (_, labelHeight) = Painter.MeasureLabel(label, scale);

        // Above the box when there is room, else just inside its top edge.
        int y = box.Y - labelHeight - 1 >= 0 ? box.Y - labelHeight - 1 : Math.Max(0, box.Y) + thickness;
        Painter.DrawLabel(output, label, box.X, y, EmotionColors.TextOn(color), color with { A = 235 }, scale);
    }

    private static RgbaImage Copy(RgbaImage image) => new(image.Width, image.Height, (byte[])image.Pixels.Clone());

    private static void Paste(RgbaImage target, RgbaImage source, int x, int y)
    {
        for (int row = 0; row < source.Height && y + row < target.Height; row++)
        {
            source.Row(row).CopyTo(target.Row(y + row).Slice(x * 4));
        }
    }
}
