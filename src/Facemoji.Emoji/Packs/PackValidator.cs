using System.Text.Json;
using System.Text.RegularExpressions;
using Facemoji.Expressions;
using Facemoji.Imaging;

namespace Facemoji.Emoji.Packs;

/// <summary>
/// Checks a user pack folder and reports every problem at once, each naming the file or field and saying
/// what is wrong: pack.json unreadable or mis-shaped, missing fields, unknown emotion names, emotions
/// without images, missing files, paths leading outside the folder, files that are not PNG, and images
/// over the size limits. <c>facemoji packs validate DIR</c> prints this report.
/// </summary>
public static partial class PackValidator
{
    /// <summary>The longest side an emoji image may have: enough for a 4K overlay, small enough to keep video fast.</summary>
    public const int MaxImageSide = 1024;

    /// <summary>The largest image file accepted.</summary>
    public const long MaxImageBytes = 8L << 20;

    /// <summary>The largest pack.json accepted.</summary>
    public const long MaxManifestBytes = 1L << 20;

    /// <summary>Names that built-in packs use; a user pack may not take them.</summary>
    public static IReadOnlyList<string> ReservedNames { get; } = ["facemoji", "noto"];

    public static PackValidationResult Validate(string folder)
    {
        var problems = new List<PackProblem>();
        if (folder.Contains('\0', StringComparison.Ordinal))
        {
            problems.Add(new(PackProblemKind.BadManifest, folder.Replace("\0", "\\0", StringComparison.Ordinal), "the folder name holds a NUL character"));
            return new(null, problems);
        }

        string root = Path.GetFullPath(folder);
        string manifestPath = Path.Combine(root, PackManifest.FileName);
        if (!Directory.Exists(root))
        {
            problems.Add(new(PackProblemKind.BadManifest, folder, "no such folder"));
            return new(null, problems);
        }

        if (!File.Exists(manifestPath))
        {
            problems.Add(new(PackProblemKind.BadManifest, manifestPath, $"missing: a pack folder needs a {PackManifest.FileName} (name, author, licence, emotions)"));
            return new(null, problems);
        }

        if (new FileInfo(manifestPath).Length > MaxManifestBytes)
        {
            problems.Add(new(PackProblemKind.BadManifest, manifestPath, $"larger than {MaxManifestBytes >> 10} KiB; a pack.json is a few lines"));
            return new(null, problems);
        }

        string realManifest = PackFiles.RealPath(manifestPath);
        string? manifestProblem = BoundedFile.Problem(realManifest, MaxManifestBytes);
        if (!PackFiles.IsInside(PackFiles.RealPath(root), realManifest) || manifestProblem is not null)
        {
            problems.Add(new(PackProblemKind.BadManifest, manifestPath,
                $"must be a regular file inside the pack folder, of at most {MaxManifestBytes >> 10} KiB ({manifestProblem ?? "it leads through a link to " + realManifest})"));
            return new(null, problems);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(BoundedFile.ReadAllBytes(realManifest, MaxManifestBytes), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            problems.Add(new(PackProblemKind.BadManifest, manifestPath, $"not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {FirstSentence(ex.Message)}"));
            return new(null, problems);
        }

        using (document)
        {
            var json = document.RootElement;
            if (json.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new(PackProblemKind.BadManifest, manifestPath, $"must hold a JSON object, not {Describe(json.ValueKind)}"));
                return new(null, problems);
            }

            string name = RequiredString(json, manifestPath, problems, "name");
            if (name.Length > 0 && !PackNamePattern().IsMatch(name))
            {
                problems.Add(new(PackProblemKind.MissingField, $"{manifestPath}: name", $"'{name}' is not a pack name: use 1-40 lower-case letters, digits, '-' or '_', starting with a letter or digit"));
            }
            else if (ReservedNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add(new(PackProblemKind.MissingField, $"{manifestPath}: name", $"'{name}' is the name of a built-in pack; choose another"));
            }

            string author = RequiredString(json, manifestPath, problems, "author");
            string licence = json.TryGetProperty("license", out _) && !json.TryGetProperty("licence", out _)
                ? RequiredString(json, manifestPath, problems, "license")
                : RequiredString(json, manifestPath, problems, "licence");
            string? description = json.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;

            var images = ReadEmotions(json, root, manifestPath, problems);
            var manifest = new PackManifest(name, author, licence, description, root, images);
            return new(manifest, problems);
        }
    }

    private static Dictionary<Emotion, IReadOnlyList<string>> ReadEmotions(JsonElement json, string root, string manifestPath, List<PackProblem> problems)
    {
        var images = new Dictionary<Emotion, IReadOnlyList<string>>();
        string where = $"{manifestPath}: emotions";
        if (!json.TryGetProperty("emotions", out var emotions) || emotions.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(PackProblemKind.BadManifest, where, "missing or not an object; expected { \"angry\": \"angry.png\", ... } with all seven emotions"));
            return images;
        }

        var checkedFiles = new Dictionary<string, bool>(StringComparer.Ordinal);
        var mentioned = new HashSet<Emotion>();
        foreach (var entry in emotions.EnumerateObject())
        {
            string entryWhere = $"{where}.{entry.Name}";
            if (!EmotionNames.TryParse(entry.Name, out var emotion))
            {
                problems.Add(new(PackProblemKind.UnknownEmotion, entryWhere, $"'{entry.Name}' is not an emotion; use one of {string.Join(", ", EmotionNames.Canonical)} (or an alias such as anger, joy, scared)"));
                continue;
            }

            if (!mentioned.Add(emotion))
            {
                problems.Add(new(PackProblemKind.UnknownEmotion, entryWhere, $"'{entry.Name}' gives {emotion.Name()} a second time"));
                continue;
            }

            var files = ReadImageList(entry.Value, entryWhere, problems);
            if (files is null)
            {
                continue;
            }

            images[emotion] = files;
            for (int i = 0; i < files.Count; i++)
            {
                string fileWhere = files.Count == 1 ? entryWhere : $"{entryWhere}[{((Intensity)i).ToString().ToLowerInvariant()}]";
                if (!checkedFiles.ContainsKey(files[i]))
                {
                    checkedFiles[files[i]] = CheckImage(root, files[i], fileWhere, problems);
                }
            }
        }

        foreach (Emotion emotion in Enum.GetValues<Emotion>())
        {
            if (!mentioned.Contains(emotion))
            {
                problems.Add(new(PackProblemKind.MissingImage, $"{where}.{emotion.Name()}", $"missing: every pack needs an image for {emotion.Name()} (one file, or three for mild, clear, strong)"));
            }
        }

        return images;
    }

    private static List<string>? ReadImageList(JsonElement value, string where, List<PackProblem> problems)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return [value.GetString()!];
            case JsonValueKind.Array:
            {
                var files = value.EnumerateArray().ToList();
                if (files.Count != 3)
                {
                    problems.Add(new(PackProblemKind.WrongIntensityCount, where, $"has {files.Count} images; give one image, or three (mild, clear, strong)"));
                    return null;
                }

                if (files.Any(f => f.ValueKind != JsonValueKind.String))
                {
                    problems.Add(new(PackProblemKind.BadManifest, where, "every entry must be a file name (a string)"));
                    return null;
                }

                return files.Select(f => f.GetString()!).ToList();
            }

            case JsonValueKind.Object:
            {
                var files = new List<string>();
                foreach (var intensity in new[] { "mild", "clear", "strong" })
                {
                    if (!value.TryGetProperty(intensity, out var file) || file.ValueKind != JsonValueKind.String)
                    {
                        problems.Add(new(PackProblemKind.WrongIntensityCount, where, $"has no '{intensity}' image; an object needs mild, clear and strong"));
                        return null;
                    }

                    files.Add(file.GetString()!);
                }

                foreach (var property in value.EnumerateObject())
                {
                    if (property.Name is not ("mild" or "clear" or "strong"))
                    {
                        problems.Add(new(PackProblemKind.BadManifest, $"{where}.{property.Name}", "unknown intensity; use mild, clear, strong"));
                    }
                }

                return files;
            }

            default:
                problems.Add(new(PackProblemKind.BadManifest, where, $"is {Describe(value.ValueKind)}; give a file name, or three in a list"));
                return null;
        }
    }

    /// <summary>Checks one image file; true when it can be used.</summary>
    private static bool CheckImage(string root, string relative, string where, List<PackProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(relative))
        {
            problems.Add(new(PackProblemKind.MissingImage, where, "empty file name"));
            return false;
        }

        if (relative.Contains('\0', StringComparison.Ordinal) || relative.Any(char.IsControl))
        {
            problems.Add(new(PackProblemKind.PathOutsidePack, where, "the image path holds a NUL or control character; use a plain relative file name"));
            return false;
        }

        if (Path.IsPathRooted(relative) || relative.Contains(':', StringComparison.Ordinal))
        {
            problems.Add(new(PackProblemKind.PathOutsidePack, where, $"'{relative}' is an absolute path; image paths are relative to the pack folder"));
            return false;
        }

        string full = Path.GetFullPath(Path.Combine(root, relative));
        if (!IsInside(root, full))
        {
            problems.Add(new(PackProblemKind.PathOutsidePack, where, $"'{relative}' leads outside the pack folder"));
            return false;
        }

        string real;
        try
        {
            // Every component resolved: a linked folder inside the pack must not lead out of it either.
            real = PackFiles.RealPath(full);
        }
        catch (Exception ex) when (ex is FacemojiException or IOException or UnauthorizedAccessException)
        {
            problems.Add(new(PackProblemKind.PathOutsidePack, where, $"'{relative}' cannot be resolved: {FirstSentence(ex.Message)}"));
            return false;
        }

        if (!PackFiles.IsInside(PackFiles.RealPath(root), real))
        {
            problems.Add(new(PackProblemKind.PathOutsidePack, where, $"'{relative}' is a link to {real} (through a linked file or folder), outside the pack folder"));
            return false;
        }

        if (!File.Exists(real) && !Directory.Exists(real))
        {
            problems.Add(new(PackProblemKind.MissingImage, where, $"image '{relative}' not found in {root}"));
            return false;
        }

        if (BoundedFile.Problem(real, MaxImageBytes) is { } fileProblem)
        {
            problems.Add(new(fileProblem.StartsWith("is ", StringComparison.Ordinal) && fileProblem.Contains("MB", StringComparison.Ordinal) ? PackProblemKind.OversizedImage : PackProblemKind.BadPng,
                where, $"'{relative}' {fileProblem}{(fileProblem.Contains("MB", StringComparison.Ordinal) ? $"; an emoji image may be at most {MaxImageBytes >> 20} MB" : "")}"));
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = BoundedFile.ReadAllBytes(real, MaxImageBytes);
        }
        catch (Exception ex) when (ex is FacemojiException or IOException or UnauthorizedAccessException)
        {
            problems.Add(new(PackProblemKind.BadPng, where, $"'{relative}' cannot be read: {FirstSentence(ex.Message)}"));
            return false;
        }
        if (ImageCodecs.DetectFormat(bytes) != ImageFileFormat.Png)
        {
            problems.Add(new(PackProblemKind.BadPng, where, $"'{relative}' is not a PNG file (no PNG signature)"));
            return false;
        }

        try
        {
            var (width, height) = ImageCodecs.ReadSize(bytes, relative)!.Value;
            if (width > MaxImageSide || height > MaxImageSide)
            {
                problems.Add(new(PackProblemKind.OversizedImage, where, $"'{relative}' is {width}x{height}; an emoji image may be at most {MaxImageSide}x{MaxImageSide}"));
                return false;
            }

            ImageCodecs.Decode(bytes, relative);
            return true;
        }
        catch (ImageFormatException ex)
        {
            problems.Add(new(PackProblemKind.BadPng, where, $"'{relative}' is not a readable PNG: {ex.Problem}"));
            return false;
        }
    }

    private static string ResolveFolder(string root) =>
        new DirectoryInfo(root).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? root;

    private static bool IsInside(string root, string full)
    {
        string prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal);
    }

    private static string RequiredString(JsonElement json, string manifestPath, List<PackProblem> problems, string field)
    {
        if (!json.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            problems.Add(new(PackProblemKind.MissingField, $"{manifestPath}: {field}", $"missing or empty; pack.json needs \"{field}\": \"...\""));
            return string.Empty;
        }

        return value.GetString()!.Trim();
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message.TrimEnd('.');
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,39}$")]
    private static partial Regex PackNamePattern();
}
