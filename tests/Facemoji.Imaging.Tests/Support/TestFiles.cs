using Facemoji.Testing;

namespace Facemoji.Imaging.Tests.Support;

/// <summary>The imaging tests' committed fixtures.</summary>
public static class TestFiles
{
    public static string Fixture(params string[] parts) =>
        RepositoryFiles.PathOf(["tests", "Facemoji.Imaging.Tests", "Fixtures", .. parts]);
}
