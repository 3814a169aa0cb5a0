using System.Text.RegularExpressions;

namespace Facemoji.Cli.Tests.Packaging;

/// <summary>
/// The library as a user takes it: a console project in a temporary folder that references Facemoji.Pipeline from
/// dist/nupkg (its dependencies resolved by NuGet from the package's own dependency list, offline), with the C#
/// example of the package README as its Program.cs, built and run on the sample photo.
/// </summary>
public sealed partial class LibraryPackageTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);

    private readonly string folder = Path.Combine(Path.GetTempPath(), "facemoji-library-tests", Guid.NewGuid().ToString("N"));

    public LibraryPackageTests() => Directory.CreateDirectory(folder);

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
    public void The_package_readme_example_builds_against_the_package_and_reads_the_sample_photo()
    {
        LocalPackages.RequirePacked("Facemoji.Pipeline", "Facemoji.Engine", "Facemoji.Imaging", "Facemoji.Vision", "Facemoji.Emoji", "Facemoji.Expressions");
        string app = Path.Combine(folder, "app");
        Directory.CreateDirectory(app);
        LocalPackages.WriteNuGetConfig(app, withCache: true);
        File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Facemoji.Pipeline" Version="{LocalPackages.Version}" />
              </ItemGroup>
            </Project>
            """);
        string readme = File.ReadAllText(Path.Combine(LocalPackages.RepositoryRoot, "src", "Facemoji.Pipeline", "PACKAGE.md"));
        File.WriteAllText(Path.Combine(app, "Program.cs"), CSharpBlock().Match(readme).Groups["code"].Value);

        string output = Path.Combine(app, "out");
        var build = LocalPackages.Run(folder, app, Limit, "dotnet", "build", "-c", "Release", "-o", output, "--disable-build-servers", "-nodeReuse:false");
        build.ExitCode.Should().Be(0, build.Describe());
        foreach (string file in new[] { "models/facemoji.fmj", "models/face_detection_short_range.tflite", "cascades/haarcascade_frontalface_default.xml", "Facemoji.Engine.dll", "System.Numerics.Tensors.dll" })
        {
            File.Exists(Path.Combine(output, file)).Should().BeTrue($"{file} comes with the package or its dependencies");
        }

        string photo = Path.Combine(LocalPackages.RepositoryRoot, "third_party", "skimage", "astronaut.png");
        var run = LocalPackages.Run(folder, folder, Limit, "dotnet", Path.Combine(output, "app.dll"), photo);
        run.ExitCode.Should().Be(0, run.Describe());
        run.Stdout.Should().MatchRegex(@"(?m)^1\d\d,\d\d \d{2,3}x\d{2,3} Happy \d+ ?% ", "the sample photo has one face, a smiling one");
        new FileInfo(Path.Combine(folder, "annotated.png")).Length.Should().BeGreaterThan(10_000);
    }

    [GeneratedRegex(@"```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
