using Facemoji.Expressions;
using Facemoji.Imaging;

namespace Facemoji.Emoji.Drawn;

/// <summary>
/// The default pack, <c>facemoji</c>: a face drawn by the project from <see cref="FaceParameters"/>,
/// anti-aliased at any size by signed distances, and the same face as SVG for the web app. A reading's
/// seven probabilities are blended into one face (<see cref="FaceExpressions.ForProbabilities"/>).
/// </summary>
public sealed class FacemojiPack : IEmojiPack
{
    /// <summary>The name users type: <c>--pack facemoji</c>.</summary>
    public const string PackName = "facemoji";

    /// <summary>The largest side rendered, to keep a mistyped size from allocating gigabytes.</summary>
    public const int MaxSize = 4096;

    public static FacemojiPack Instance { get; } = new();

    public string Name => PackName;

    public string Description => "Drawn by Facemoji: a parametric face that blends all seven probabilities (the project's own licence).";

    public RgbaImage Render(Emotion emotion, Intensity intensity, int size) => Render(FaceExpressions.For(emotion, intensity), size);

    public RgbaImage Render(ExpressionReading reading, int size) => Render(FaceExpressions.ForProbabilities(reading.Probabilities), size);

    /// <summary>Draws any parameter set (for blends, previews and tests).</summary>
    public RgbaImage Render(FaceParameters face, int size)
    {
        CheckSize(size);
        return FaceRasterizer.Render(FaceGeometry.Build(face), size);
    }

    /// <summary>The blended face of a reading as an SVG document of <paramref name="size"/> CSS pixels.</summary>
    public string RenderSvg(ExpressionReading reading, int size) => RenderSvg(FaceExpressions.ForProbabilities(reading.Probabilities), size);

    /// <summary>One emotion at one intensity as SVG.</summary>
    public string RenderSvg(Emotion emotion, Intensity intensity, int size) => RenderSvg(FaceExpressions.For(emotion, intensity), size);

    /// <summary>Any parameter set as SVG: the same layers as <see cref="Render(FaceParameters, int)"/>.</summary>
    public string RenderSvg(FaceParameters face, int size)
    {
        CheckSize(size);
        return FaceSvgWriter.Write(FaceGeometry.Build(face), size);
    }

    private static void CheckSize(int size)
    {
        if (size < 1 || size > MaxSize)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"Emoji size must be 1..{MaxSize} pixels.");
        }
    }
}
