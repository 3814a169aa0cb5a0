namespace Facemoji.Cli.Tests.Packaging;

/// <summary>
/// The .NET tool as a user installs it: <c>dotnet tool install facemoji --add-source dist/nupkg</c> into a
/// temporary tool path, offline, then <c>facemoji --version</c> and <c>facemoji demo</c> run from a folder outside
/// the checkout, so the model, detectors and sample photo can only come from the installed package.
/// </summary>
public sealed class ToolPackageTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    private readonly string folder = Path.Combine(Path.GetTempPath(), "facemoji-tool-tests", Guid.NewGuid().ToString("N"));

    public ToolPackageTests() => Directory.CreateDirectory(folder);

    public void Dispose()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [SkippableFact]
    public void Installed_tool_prints_the_version_and_runs_the_demo_with_its_own_files()
    {
        LocalPackages.RequirePacked("facemoji");
        string tools = Path.Combine(folder, "tools");
        LocalPackages.WriteNuGetConfig(folder, withCache: false);

        var install = LocalPackages.Run(folder, folder, Limit, "dotnet", "tool", "install", "facemoji", "--tool-path", tools, "--add-source", LocalPackages.Folder, "--version", LocalPackages.Version);
        install.ExitCode.Should().Be(0, install.Describe());

        string facemoji = Path.Combine(tools, OperatingSystem.IsWindows() ? "facemoji.exe" : "facemoji");
        var version = LocalPackages.Run(folder, folder, Limit, facemoji, "--version");
        version.ExitCode.Should().Be(0, version.Describe());
        version.Stdout.Trim().Should().Be(LocalPackages.Version);

        var demo = LocalPackages.Run(folder, folder, Limit, facemoji, "demo", "-o", "demo");
        demo.ExitCode.Should().Be(0, demo.Describe());
        string installed = Path.Combine(tools, ".store", "facemoji", LocalPackages.Version);
        string printed = demo.Stdout.Replace("\n", string.Empty);   // the console wraps long paths
        printed.Should().Contain(Path.Combine(installed, "facemoji", LocalPackages.Version, "tools"), "the sample and the model come from the installed package");
        printed.Should().Contain("samples/astronaut.png: 512x512, 1 face(s)");
        printed.Should().Contain("models/facemoji.fmj");
        printed.Should().Contain("happy");
        foreach (string mode in new[] { "cover", "badge", "panel" })
        {
            new FileInfo(Path.Combine(folder, "demo", $"astronaut-{mode}.png")).Length.Should().BeGreaterThan(10_000);
        }

        // BlazeFace reads its model from the package too.
        var blazeFace = LocalPackages.Run(folder, folder, Limit, facemoji, "demo", "-o", "blazeface", "--detector", "blazeface", "--mode", "badge");
        blazeFace.ExitCode.Should().Be(0, blazeFace.Describe());
        blazeFace.Stdout.Replace("\n", string.Empty).Should().Contain("1 face(s)");
        File.Exists(Path.Combine(folder, "blazeface", "astronaut-badge.png")).Should().BeTrue();
    }
}
