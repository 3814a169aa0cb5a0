using Facemoji.Engine.Networks;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Serialization;
using Facemoji.Expressions;

namespace Facemoji.Pipeline.Tests;

/// <summary>Files the pipeline tests share: the sample photo and a model file of the right shape.</summary>
public static class TestAssets
{
    private static readonly Lazy<string> ModelPath = new(CreateUntrainedModel);

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Facemoji.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Facemoji.sln not found above the test folder.");
        }
    }

    /// <summary>astronaut.png from Debian's python3-skimage, unpacked by tools/setup.sh (make test runs it).</summary>
    public static string Astronaut => Path.Combine(RepositoryRoot, "third_party", "skimage", "astronaut.png");

    /// <summary>
    /// An untrained bench-vgg8 saved as a model file: the pipeline's plumbing does not depend on how good the
    /// weights are, so these tests do not need the shipped model.
    /// </summary>
    public static string UntrainedModel => ModelPath.Value;

    private static string CreateUntrainedModel()
    {
        string path = Path.Combine(Path.GetTempPath(), $"facemoji-test-{Environment.ProcessId}.fmm");
        var network = Architectures.Create("bench-vgg8", new SeededRandom(7));
        ModelFile.Save(path, network, new ModelHeader
        {
            Architecture = "bench-vgg8",
            Labels = EmotionNames.Canonical,
            Preprocessing = new PreprocessingSettings { Width = 48, Height = 48, Channels = 1, Mean = [0.5f], Std = [0.25f], CropPolicy = "haar-box+1%" },
        });
        return path;
    }
}
