using Facemoji.Engine.Networks;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Serialization;
using Facemoji.Expressions;

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

    /// <summary>
    /// The model the server tests run: the shipped one when it is there, otherwise an untrained bench-vgg8 saved
    /// to a temporary file (the server's plumbing does not depend on how good the weights are).
    /// </summary>
    public static string ModelPath => Model.Value;

    public static bool UsesShippedModel => File.Exists(Path.Combine(RepositoryRoot, ShippedModel.RelativePath));

    private static readonly Lazy<string> Model = new(() =>
    {
        string shipped = Path.Combine(RepositoryRoot, ShippedModel.RelativePath);
        if (File.Exists(shipped))
        {
            return shipped;
        }

        string path = Path.Combine(Path.GetTempPath(), $"facemoji-web-test-{Environment.ProcessId}.fmm");
        var network = Architectures.Create("bench-vgg8", new SeededRandom(7));
        ModelFile.Save(path, network, new ModelHeader
        {
            Architecture = "bench-vgg8",
            Labels = EmotionNames.Canonical,
            Preprocessing = new PreprocessingSettings { Width = 48, Height = 48, Channels = 1, Mean = [0.5f], Std = [0.25f], CropPolicy = "haar-box+10%" },
        });
        return path;
    });

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
