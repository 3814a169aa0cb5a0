using Facemoji.Expressions;
using Facemoji.Imaging;

namespace Facemoji.Emoji.Display;

/// <summary>One colour per emotion for boxes, labels and bars, chosen to stay apart from each other and readable on photos.</summary>
internal static class EmotionColors
{
    private static readonly Rgba32[] Colors =
    [
        new(230, 57, 70),   // angry: red
        new(106, 168, 79),  // disgust: green
        new(142, 86, 196),  // fear: purple
        new(250, 190, 20),  // happy: gold
        new(52, 120, 220),  // sad: blue
        new(245, 130, 40),  // surprise: orange
        new(150, 150, 150), // neutral: gray
    ];

    public static Rgba32 Of(Emotion emotion) => Colors[(int)emotion];

    /// <summary>Black or white, whichever reads better on <paramref name="background"/>.</summary>
    public static Rgba32 TextOn(Rgba32 background) =>
        background.R * 299 + background.G * 587 + background.B * 114 > 150_000 ? new Rgba32(0, 0, 0) : new Rgba32(255, 255, 255);
}
