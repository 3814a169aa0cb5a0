namespace Facemoji.Web.Tests;

/// <summary>Files the tests use: the sample photo that tools/setup.sh fetches, and the repository's docs folder.</summary>
public static class TestFiles
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Astronaut => Path.Combine(RepositoryRoot, "third_party", "skimage", "astronaut.png");

    public static byte[] AstronautBytes()
    {
        File.Exists(Astronaut).Should().BeTrue($"the sample photo {Astronaut} comes from tools/setup.sh (make setup)");
        return File.ReadAllBytes(Astronaut);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Facemoji.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Facemoji.sln not found above " + AppContext.BaseDirectory);
    }
}
