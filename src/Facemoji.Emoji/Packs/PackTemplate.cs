using System.Text.Json;
using System.Text.RegularExpressions;
using Facemoji.Expressions;
using Facemoji.Imaging;

namespace Facemoji.Emoji.Packs;

/// <summary>
/// Starts a user pack (<c>facemoji packs new NAME</c>): a new folder with a pack.json and one PNG per emotion and
/// intensity, drawn by an existing pack, ready to be replaced picture by picture. The result is validated as
/// any pack is; a folder that exists is never written into.
/// </summary>
public static partial class PackTemplate
{
    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    /// <summary>The side of the template's pictures, in pixels.</summary>
    public const int PictureSize = 256;

    /// <summary>Writes the pack <paramref name="name"/> into the new folder <paramref name="folder"/> from the pictures of <paramref name="template"/>.</summary>
    public static PackValidationResult Create(string folder, string name, IEmojiPack template, string author)
    {
        if (!NamePattern().IsMatch(name) || PackValidator.ReservedNames.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            throw new FacemojiException($"'{name}' cannot name a pack: use 1 to 40 lowercase letters, digits, '-' or '_' (not {string.Join(" or ", PackValidator.ReservedNames)}).");
        }

        if (Directory.Exists(folder) || File.Exists(folder))
        {
            throw new FacemojiException($"{folder}: already exists; packs new only creates a new folder.");
        }

        Directory.CreateDirectory(folder);
        try
        {
            var emotions = new Dictionary<string, string[]>();
            foreach (var emotion in Enum.GetValues<Emotion>())
            {
                var files = new List<string>();
                foreach (var intensity in Enum.GetValues<Intensity>())
                {
                    string file = $"{emotion.Name()}-{intensity.ToString().ToLowerInvariant()}.png";
                    ImageCodecs.Save(template.Render(emotion, intensity, PictureSize), Path.Combine(folder, file));
                    files.Add(file);
                }

                emotions[emotion.Name()] = [.. files];
            }

            var manifest = new
            {
                name,
                author,
                licence = "CC0-1.0",
                description = $"Started from the {template.Name} pack: replace the pictures (PNG, up to 1024x1024) and keep the file names, or edit this list.",
                emotions,
            };
            File.WriteAllText(Path.Combine(folder, PackManifest.FileName), JsonSerializer.Serialize(manifest, IndentedJson) + "\n");
            var result = PackValidator.Validate(folder);
            if (!result.IsValid)
            {
                throw new FacemojiException($"{folder}: the new pack does not validate ({result.Problems[0].Message}).");
            }

            return result;
        }
        catch
        {
            // Nothing half-written: the folder is ours, made above.
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,39}$")]
    private static partial Regex NamePattern();
}
