using Facemoji.Imaging;

namespace Facemoji.Emoji.Tests.Support;

/// <summary>
/// Committed reference renders under tests/Facemoji.Emoji.Tests/References, compared with the project's tolerant
/// comparer. Run the tests with FACEMOJI_UPDATE_REFERENCES=1 to rewrite them after an intended change of the
/// drawing (then look at the PNGs before committing them). The same one variable rewrites every generated reference
/// of the project: these renders, the pictures of docs/emoji/ (<see cref="DocsPictures"/>) and docs/web-app.png.
/// </summary>
public static class References
{
    public const string UpdateVariable = "FACEMOJI_UPDATE_REFERENCES";

    /// <summary>True when the run rewrites references instead of comparing with them.</summary>
    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    public static string PathOf(string name) => RepositoryFiles.PathOf("tests", "Facemoji.Emoji.Tests", "References", name);

    /// <summary>
    /// Compares <paramref name="actual"/> with the reference PNG <paramref name="name"/> (or rewrites it in update
    /// mode). The limits let single edge pixels move (float rounding on another CPU) but not a feature: a
    /// changed face moves the mean far above 0.25 (see The_tolerance_tells_neighbouring_faces_apart).
    /// </summary>
    public static void ShouldMatch(RgbaImage actual, string name, int maxAbs = 64, double maxMean = 0.25)
    {
        string path = PathOf(name);
        if (Updating)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, ImageCodecs.Encode(actual, ImageFileFormat.Png));
            return;
        }

        File.Exists(path).Should().BeTrue($"the reference {path} must be committed (generate it with {UpdateVariable}=1)");
        var expected = ImageCodecs.Decode(File.ReadAllBytes(path), path);
        TolerantImageComparer.ShouldMatch(actual, expected, maxAbs, maxMean, because: $"against {name}");
    }
}
