using Facemoji.Expressions;
using Facemoji.Imaging;
using Facemoji.Imaging.Drawing;

namespace Facemoji.Emoji.Display;

/// <summary>
/// Labelled sheets of emoji for <c>facemoji packs show</c> and the docs: every emotion (columns) at every
/// intensity (rows), several packs side by side in each cell for comparison; and blend strips of one pack.
/// </summary>
public static class ContactSheet
{
    private static readonly Rgba32 Background = new(255, 255, 255);
    private static readonly Rgba32 Ink = new(40, 40, 40);
    private static readonly Rgba32 Faint = new(130, 130, 130);
    private static readonly Rgba32 Rule = new(228, 228, 228);

    /// <summary>
    /// A sheet of <paramref name="packs"/>: 7 columns (emotions) x 3 rows (intensities), each cell holding the
    /// packs' emoji at <paramref name="cell"/> pixels left to right, with the Unicode codepoint under each cell.
    /// </summary>
    public static RgbaImage Render(IReadOnlyList<IEmojiPack> packs, int cell)
    {
        if (packs.Count == 0)
        {
            throw new ArgumentException("No packs to show.", nameof(packs));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(cell, 8);
        int scale = cell >= 96 ? 2 : 1;
        int text = LabelFont.Default.LineHeight(scale);
        int gap = Math.Max(8, cell / 6);
        int emojiWidth = packs.Count * cell + (packs.Count - 1) * (gap / 2);

        // Columns are wide enough for their labels too (at 32 px "surprise" is wider than the emoji).
        int cellWidth = Math.Max(emojiWidth, Math.Max(LabelFont.Default.Measure("surprise", scale).Width, LabelFont.Default.Measure("U+1F62D", 1).Width) + gap / 2);
        int labelColumn = LabelFont.Default.Measure("strong", scale).Width + 2 * gap;
        int titleHeight = text + 2 * gap;
        int headerHeight = text + gap;
        int rowHeight = cell + LabelFont.Default.LineHeight(1) + gap + gap / 2;
        int width = labelColumn + EmotionNames.Count * (cellWidth + gap) + gap;
        int height = titleHeight + headerHeight + 3 * rowHeight + gap;

        var sheet = new RgbaImage(width, height);
        Painter.FillRectangle(sheet, new PixelRect(0, 0, width, height), Background);
        Painter.DrawText(sheet, string.Join("   |   ", packs.Select(p => p.Name)), gap, gap, Ink, scale);
        for (int e = 0; e < EmotionNames.Count; e++)
        {
            string name = ((Emotion)e).Name();
            int x = labelColumn + e * (cellWidth + gap) + (cellWidth - LabelFont.Default.Measure(name, scale).Width) / 2;
            Painter.DrawText(sheet, name, x, titleHeight, Ink, scale);
        }

        for (int i = 0; i < 3; i++)
        {
            var intensity = (Intensity)i;
            int top = titleHeight + headerHeight + i * rowHeight;
            Painter.FillRectangle(sheet, new PixelRect(gap, top - gap / 3, width - 2 * gap, 1), Rule);
            Painter.DrawText(sheet, intensity.ToString().ToLowerInvariant(), gap, top + (cell - text) / 2, Ink, scale);
            for (int e = 0; e < EmotionNames.Count; e++)
            {
                int left = labelColumn + e * (cellWidth + gap);
                int emojiLeft = left + (cellWidth - emojiWidth) / 2;
                for (int p = 0; p < packs.Count; p++)
                {
                    Painter.DrawImage(sheet, packs[p].Render((Emotion)e, intensity, cell), new PixelRect(emojiLeft + p * (cell + gap / 2), top, cell, cell));
                }

                string codepoint = UnicodeEmoji.Describe(UnicodeEmoji.Codepoint((Emotion)e, intensity));
                Painter.DrawText(sheet, codepoint, left + (cellWidth - LabelFont.Default.Measure(codepoint, 1).Width) / 2, top + cell + gap / 3, Faint);
            }
        }

        return sheet;
    }

    /// <summary>
    /// A strip of <paramref name="steps"/> emoji blending from pure <paramref name="from"/> to pure
    /// <paramref name="to"/> (probabilities 1 - t and t), each labelled with the two percentages.
    /// </summary>
    public static RgbaImage BlendStrip(IEmojiPack pack, Emotion from, Emotion to, int steps, int cell)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(cell, 8);
        int scale = cell >= 96 ? 2 : 1;
        int text = LabelFont.Default.LineHeight(scale);
        int gap = Math.Max(8, cell / 8);
        int width = steps * (cell + gap) + gap;
        int height = gap + text + gap + cell + gap / 2 + LabelFont.Default.LineHeight(1) + gap;
        var strip = new RgbaImage(width, height);
        Painter.FillRectangle(strip, new PixelRect(0, 0, width, height), Background);
        Painter.DrawText(strip, $"{pack.Name}: {from.Name()} -> {to.Name()}", gap, gap, Ink, scale);
        for (int i = 0; i < steps; i++)
        {
            float t = i / (float)(steps - 1);
            var probabilities = new float[EmotionNames.Count];
            probabilities[(int)from] = 1 - t;
            probabilities[(int)to] += t;
            int left = gap + i * (cell + gap), top = gap + text + gap;
            Painter.DrawImage(strip, pack.Render(new ExpressionReading(probabilities), cell), new PixelRect(left, top, cell, cell));
            string label = $"{MathF.Round((1 - t) * 100):0}/{MathF.Round(t * 100):0}";
            Painter.DrawText(strip, label, left + (cell - LabelFont.Default.Measure(label, 1).Width) / 2, top + cell + gap / 2, Faint);
        }

        return strip;
    }
}
