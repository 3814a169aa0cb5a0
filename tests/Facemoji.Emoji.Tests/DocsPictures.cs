using Facemoji.Emoji.Display;
using Facemoji.Emoji.Drawn;
using Facemoji.Emoji.Noto;
using Facemoji.Emoji.Tests.Support;
using Facemoji.Expressions;
using Facemoji.Imaging;

namespace Facemoji.Emoji.Tests;

/// <summary>
/// Writes the pictures of docs/emoji/ (contact sheets of every pack at every intensity, the facemoji/noto
/// comparison and blend strips) when FACEMOJI_UPDATE_REFERENCES=1 (the project's one variable for rewriting generated references); otherwise renders them into memory and checks only
/// their layout, so that the generator keeps working.
/// </summary>
public class DocsPictures
{
    /// <summary>Four strong faces at 256 px: the drawn face at full size.</summary>
    private static RgbaImage LargeFaces()
    {
        Emotion[] emotions = [Emotion.Happy, Emotion.Sad, Emotion.Angry, Emotion.Fear];
        var image = new RgbaImage(emotions.Length * 272 + 16, 288);
        Facemoji.Imaging.Drawing.Painter.FillRectangle(image, new PixelRect(0, 0, image.Width, image.Height), new Rgba32(255, 255, 255));
        for (int i = 0; i < emotions.Length; i++)
        {
            Facemoji.Imaging.Drawing.Painter.DrawImage(image, FacemojiPack.Instance.Render(emotions[i], Intensity.Strong, 256), new PixelRect(16 + i * 272, 16, 256, 256));
        }

        return image;
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Docs_pictures()
    {
        bool write = References.Updating;
        var pictures = new Dictionary<string, RgbaImage>
        {
            ["facemoji-contact-sheet.png"] = ContactSheet.Render([FacemojiPack.Instance], 96),
            ["facemoji-32px.png"] = ContactSheet.Render([FacemojiPack.Instance], 32),
            ["blend-happy-surprise.png"] = ContactSheet.BlendStrip(FacemojiPack.Instance, Emotion.Happy, Emotion.Surprise, 9, 96),
            ["blend-sad-angry.png"] = ContactSheet.BlendStrip(FacemojiPack.Instance, Emotion.Sad, Emotion.Angry, 9, 96),
            ["blend-neutral-fear.png"] = ContactSheet.BlendStrip(FacemojiPack.Instance, Emotion.Neutral, Emotion.Fear, 9, 96),
        };

        pictures["facemoji-256px.png"] = LargeFaces();

        // The font is part of set-up (fonts-noto-color-emoji), so the Noto sheets are always drawn.
        var noto = NotoPack.Open(NotoPack.DefaultFontPath);
        pictures["noto-contact-sheet.png"] = ContactSheet.Render([noto], 96);
        pictures["facemoji-vs-noto.png"] = ContactSheet.Render([FacemojiPack.Instance, noto], 96);

        using (var sample = new TemporaryPack())
        {
            pictures["user-pack-contact-sheet.png"] = ContactSheet.Render([Facemoji.Emoji.Packs.UserPack.Open(sample.Folder)], 48);
        }

        foreach (DisplayMode mode in Enum.GetValues<DisplayMode>())
        {
            pictures[$"mode-{mode.ToString().ToLowerInvariant()}.png"] = EmojiOverlay.Draw(OverlayTests.SyntheticFrame(), OverlayTests.TwoFaces(), mode, FacemojiPack.Instance);
        }

        // Pairs for tools/check_emoji_svg.py, which rasterises the SVGs with librsvg and compares.
        if (Environment.GetEnvironmentVariable("FACEMOJI_SVG_PAIRS") is { Length: > 0 } pairs)
        {
            Directory.CreateDirectory(pairs);
            foreach (Emotion emotion in Enum.GetValues<Emotion>())
            {
                foreach (Intensity intensity in Enum.GetValues<Intensity>())
                {
                    string stem = Path.Combine(pairs, $"{emotion.Name()}-{intensity.ToString().ToLowerInvariant()}");
                    File.WriteAllText(stem + ".svg", FacemojiPack.Instance.RenderSvg(emotion, intensity, 128));
                    File.WriteAllBytes(stem + ".rgba", FacemojiPack.Instance.Render(emotion, intensity, 128).Pixels);
                }
            }
        }

        if (write)
        {
            File.WriteAllText(Path.Combine(RepositoryFiles.RepositoryRoot, "docs", "emoji", "facemoji-happy-strong.svg"), FacemojiPack.Instance.RenderSvg(Emotion.Happy, Intensity.Strong, 128));
        }

        foreach (var (name, picture) in pictures)
        {
            picture.Width.Should().BeGreaterThan(0, name);
            if (write)
            {
                string path = Path.Combine(RepositoryFiles.RepositoryRoot, "docs", "emoji", name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, ImageCodecs.Encode(picture, ImageFileFormat.Png));
            }
        }
    }
}
