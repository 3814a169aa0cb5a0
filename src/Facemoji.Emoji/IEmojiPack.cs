using Facemoji.Expressions;
using Facemoji.Imaging;

namespace Facemoji.Emoji;

/// <summary>
/// A set of emoji pictures: one per emotion and intensity. Packs are found by name or folder with
/// <see cref="EmojiPacks.Resolve"/>; the display modes draw them.
/// Implementations are thread-safe: the pipeline renders faces of several frames at once.
/// </summary>
public interface IEmojiPack
{
    /// <summary>The pack's name (<c>facemoji</c>, <c>noto</c>, or a user pack's name).</summary>
    string Name { get; }

    /// <summary>One line about the pack: what it is, author and licence.</summary>
    string Description { get; }

    /// <summary>The emoji of one emotion at one intensity as a <paramref name="size"/> x <paramref name="size"/> RGBA image (transparent background).</summary>
    RgbaImage Render(Emotion emotion, Intensity intensity, int size);

    /// <summary>
    /// The emoji of a classifier reading. Picture packs show the top emotion at its intensity; the drawn
    /// <c>facemoji</c> pack blends all seven probabilities into one face.
    /// </summary>
    RgbaImage Render(ExpressionReading reading, int size);
}
