using Facemoji.Emoji;
using Facemoji.Emoji.Display;
using Facemoji.Imaging;

namespace Facemoji.Pipeline.Annotation;

/// <summary>Analyses a photo and draws the result on it with an emoji pack in a display mode.</summary>
public sealed class ImageAnnotator(FaceAnalyzer analyzer, IEmojiPack pack, DisplayMode mode)
{
    public IEmojiPack Pack { get; } = pack;

    public DisplayMode Mode { get; } = mode;

    public (IReadOnlyList<FaceAnalysis> Faces, RgbaImage Annotated) Annotate(RgbaImage image)
    {
        var faces = analyzer.Analyze(image);
        return (faces, EmojiOverlay.Draw(image, faces.Select(f => (f.Box, f.Reading)).ToList(), Mode, Pack, faces.Select(f => f.Roll).ToList()));
    }

    public RgbaImage Draw(RgbaImage image, IReadOnlyList<(PixelRect Box, Facemoji.Expressions.ExpressionReading Reading)> faces) =>
        EmojiOverlay.Draw(image, faces, Mode, Pack);
}
