using Facemoji.Engine.Networks;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Serialization;
using Facemoji.Expressions;

namespace Facemoji.Testing;

/// <summary>
/// An untrained bench-vgg8 saved as a model file, once per test process: the pipeline's and the server's plumbing
/// do not depend on how good the weights are, so their tests need no trained model.
/// </summary>
public static class UntrainedModel
{
    private static readonly Lazy<string> File = new(Create);

    public static string Path => File.Value;

    private static string Create()
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"facemoji-test-{Environment.ProcessId}.fmm");
        var network = Architectures.Create("bench-vgg8", new SeededRandom(7));
        ModelFile.Save(path, network, new ModelHeader
        {
            Architecture = "bench-vgg8",
            Labels = EmotionNames.Canonical,
            Preprocessing = new PreprocessingSettings { Width = 48, Height = 48, Channels = 1, Mean = [0.5f], Std = [0.25f], CropPolicy = "face-box-1.02" },
        });
        return path;
    }
}
