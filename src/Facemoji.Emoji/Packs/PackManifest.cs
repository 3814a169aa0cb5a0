using Facemoji.Expressions;

namespace Facemoji.Emoji.Packs;

/// <summary>
/// The parsed <c>pack.json</c> of a user pack. The file looks like this (licence may be spelled license;
/// an emotion takes either one image for every intensity, or three: mild, clear, strong; emotion names
/// may be any alias that <see cref="EmotionNames.TryParse"/> accepts):
/// <code>
/// {
///   "name": "cats",
///   "author": "Jane Doe",
///   "licence": "CC-BY-4.0",
///   "description": "optional",
///   "emotions": {
///     "angry": "angry.png",
///     "happy": ["happy-mild.png", "happy.png", "happy-strong.png"],
///     "sad": { "mild": "sad1.png", "clear": "sad2.png", "strong": "sad3.png" },
///     ...all seven...
///   }
/// }
/// </code>
/// </summary>
public sealed record PackManifest(
    string Name,
    string Author,
    string Licence,
    string? Description,
    string Folder,
    IReadOnlyDictionary<Emotion, IReadOnlyList<string>> Images)
{
    /// <summary>The manifest's file name inside a pack folder.</summary>
    public const string FileName = "pack.json";

    /// <summary>Full path of the image of an emotion at an intensity (an emotion with one image uses it for all three).</summary>
    public string ImagePath(Emotion emotion, Intensity intensity)
    {
        var images = Images[emotion];
        return Path.Combine(Folder, images[images.Count == 1 ? 0 : (int)intensity]);
    }
}
