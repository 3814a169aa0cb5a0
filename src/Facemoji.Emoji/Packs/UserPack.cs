using System.Collections.Concurrent;
using Facemoji.Expressions;
using Facemoji.Imaging;

namespace Facemoji.Emoji.Packs;

/// <summary>
/// A pack of the user's own PNGs: a folder with <c>pack.json</c> (see <see cref="PackManifest"/>). Opening
/// validates the whole pack first (<see cref="PackValidator"/>), so a bad pack fails at start-up with every
/// problem listed, not in the middle of a video. Images keep their aspect ratio inside the square.
/// </summary>
internal sealed class UserPack : IEmojiPack
{
    private readonly ConcurrentDictionary<string, RgbaImage> decoded = new(StringComparer.Ordinal);

    private UserPack(PackManifest manifest)
    {
        Manifest = manifest;
    }

    public PackManifest Manifest { get; }

    public string Name => Manifest.Name;

    public string Description =>
        $"{(Manifest.Description is { Length: > 0 } d ? d + " " : string.Empty)}by {Manifest.Author} ({Manifest.Licence}), {Manifest.Folder}";

    /// <summary>Opens a pack folder; any problem is a <see cref="FacemojiException"/> listing all of them.</summary>
    public static UserPack Open(string folder)
    {
        var result = PackValidator.Validate(folder);
        if (!result.IsValid)
        {
            throw new FacemojiException(
                $"Emoji pack '{folder}' is not usable ({result.Problems.Count} problem{(result.Problems.Count == 1 ? "" : "s")}):" +
                string.Concat(result.Problems.Select(p => $"{Environment.NewLine}  {p}")));
        }

        return new UserPack(result.Manifest!);
    }

    public RgbaImage Render(Emotion emotion, Intensity intensity, int size)
    {
        string path = Manifest.ImagePath(emotion, intensity);
        var image = decoded.GetOrAdd(path, p => ImageCodecs.Decode(BoundedFile.ReadAllBytes(PackFiles.RealPath(p), PackValidator.MaxImageBytes), p));
        return EmojiImages.FitSquare(image, size);
    }

    public RgbaImage Render(ExpressionReading reading, int size) => Render(reading.Emotion, reading.Intensity, size);
}
