namespace Facemoji.Imaging.Tests.Support;

/// <summary>Finds the repository (the folder holding Facemoji.sln) and the committed fixtures in it.</summary>
public static class TestFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Facemoji.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Facemoji.sln above {AppContext.BaseDirectory}.");
    });

    public static string RepositoryRoot => Root.Value;

    public static string Fixture(params string[] parts) =>
        Path.Combine([RepositoryRoot, "tests", "Facemoji.Imaging.Tests", "Fixtures", .. parts]);

    /// <summary>A sample image from Debian's python3-skimage, unpacked by tools/setup.sh (CI runs it before the tests).</summary>
    public static string Skimage(string name)
    {
        string path = Path.Combine(RepositoryRoot, "third_party", "skimage", name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is missing: run tools/setup.sh first.", path);
        }

        return path;
    }
}
