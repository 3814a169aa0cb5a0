using Facemoji.Emoji.Drawn;
using Facemoji.Emoji.Noto;
using Facemoji.Emoji.Packs;

namespace Facemoji.Emoji;

/// <summary>
/// Finds emoji packs: the built-in <c>facemoji</c> (default) and <c>noto</c>, and user packs, which are
/// folders with a pack.json, given by path or by name from the user pack folder
/// (<c>$FACEMOJI_PACKS</c>, else <c>~/.local/share/facemoji/packs</c>).
/// </summary>
public static class EmojiPacks
{
    /// <summary>The pack used when none is named.</summary>
    public const string DefaultName = FacemojiPack.PackName;

    /// <summary>Environment variable naming the folder that holds user packs (one sub-folder each).</summary>
    public const string PacksFolderVariable = "FACEMOJI_PACKS";

    /// <summary>The folder searched for user packs by name.</summary>
    public static string UserPacksFolder =>
        Environment.GetEnvironmentVariable(PacksFolderVariable) is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "facemoji", "packs");

    /// <summary>
    /// The pack named <paramref name="nameOrFolder"/>: <c>facemoji</c>, <c>noto</c>, a folder path with a
    /// pack.json, or the name of a pack in <see cref="UserPacksFolder"/>. Null or empty gives the default.
    /// Anything else is a <see cref="FacemojiException"/> listing the packs that exist.
    /// </summary>
    public static IEmojiPack Resolve(string? nameOrFolder)
    {
        if (string.IsNullOrWhiteSpace(nameOrFolder) || nameOrFolder.Equals(FacemojiPack.PackName, StringComparison.OrdinalIgnoreCase))
        {
            return FacemojiPack.Instance;
        }

        if (nameOrFolder.Equals(NotoPack.PackName, StringComparison.OrdinalIgnoreCase))
        {
            return NotoPack.Open();
        }

        if (Directory.Exists(nameOrFolder))
        {
            return UserPack.Open(nameOrFolder);
        }

        string named = Path.Combine(UserPacksFolder, nameOrFolder);
        if (!nameOrFolder.Contains(Path.DirectorySeparatorChar) && Directory.Exists(named))
        {
            return UserPack.Open(named);
        }

        throw new FacemojiException(
            $"No emoji pack '{nameOrFolder}': use {string.Join(", ", List().Select(p => p.Name))}, or a folder with a {PackManifest.FileName}.");
    }

    /// <summary>
    /// Every pack that can be named: the built-ins (noto marked unavailable when its font is missing) and each
    /// sub-folder of <see cref="UserPacksFolder"/> that has a pack.json (with its problems, when it has some).
    /// </summary>
    public static IReadOnlyList<PackListing> List()
    {
        var packs = new List<PackListing>
        {
            new(FacemojiPack.PackName, "built-in", FacemojiPack.Instance.Description, null),
        };

        string notoFont = Environment.GetEnvironmentVariable(NotoPack.FontPathVariable) ?? NotoPack.DefaultFontPath;
        packs.Add(File.Exists(notoFont)
            ? new(NotoPack.PackName, "built-in", $"Noto Color Emoji bitmaps from {notoFont}", null)
            : new(NotoPack.PackName, "built-in", "Noto Color Emoji", $"font {notoFont} missing: sudo apt-get install fonts-noto-color-emoji"));

        string folder = UserPacksFolder;
        if (Directory.Exists(folder))
        {
            foreach (string dir in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
            {
                if (!File.Exists(Path.Combine(dir, PackManifest.FileName)))
                {
                    continue;
                }

                var result = PackValidator.Validate(dir);
                string name = Path.GetFileName(dir);
                string about = result.Manifest is { } m ? $"{m.Name} by {m.Author} ({m.Licence})" : "unreadable pack.json";
                packs.Add(new(name, dir, about, result.IsValid ? null : $"{result.Problems.Count} problem(s); run: facemoji packs validate {dir}"));
            }
        }

        return packs;
    }
}
