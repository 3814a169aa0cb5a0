namespace Facemoji.Testing;

/// <summary>
/// The repository the tests run in (the folder holding Facemoji.sln) and the files in it the tests read: committed
/// fixtures, and what tools/setup.sh unpacks into the ignored third_party/ folder (make test runs it first).
/// </summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Facemoji.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Facemoji.sln above {AppContext.BaseDirectory}.");
    });

    public static string RepositoryRoot => Root.Value;

    /// <summary>A path under the repository root, e.g. <c>PathOf("tests", "Facemoji.Imaging.Tests", "Fixtures")</c>.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([RepositoryRoot, .. parts]);

    /// <summary>astronaut.png, the sample photo (Debian's python3-skimage), whether or not setup has run.</summary>
    public static string SamplePhotoPath => ThirdPartyPath("skimage", "astronaut.png");

    /// <summary>The sample photo; a clear failure when tools/setup.sh has not unpacked it.</summary>
    public static string SamplePhoto() => ThirdParty("skimage", "astronaut.png");

    /// <summary>A file tools/setup.sh puts under third_party/ (skimage/…, mediapipe/…); a clear failure when it is missing.</summary>
    public static string ThirdParty(params string[] parts)
    {
        string path = ThirdPartyPath(parts);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: run tools/setup.sh first.", path);
    }

    private static string ThirdPartyPath(params string[] parts) => Path.Combine([RepositoryRoot, "third_party", .. parts]);
}
