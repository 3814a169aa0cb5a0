using Facemoji.Pipeline;
using Facemoji.Testing;

namespace Facemoji.Web.Tests;

/// <summary>Files the server tests use: the sample photo that tools/setup.sh fetches, and the model they serve.</summary>
public static class TestFiles
{
    public static byte[] AstronautBytes()
    {
        File.Exists(RepositoryFiles.SamplePhotoPath).Should().BeTrue($"the sample photo {RepositoryFiles.SamplePhotoPath} comes from tools/setup.sh (make setup)");
        return File.ReadAllBytes(RepositoryFiles.SamplePhotoPath);
    }

    /// <summary>
    /// The model the server tests run: the shipped one when it is there, otherwise an untrained bench-vgg8 (the
    /// server's plumbing does not depend on how good the weights are).
    /// </summary>
    public static string ModelPath => UsesShippedModel ? ShippedModelPath : UntrainedModel.Path;

    public static bool UsesShippedModel => File.Exists(ShippedModelPath);

    private static string ShippedModelPath => RepositoryFiles.PathOf(ShippedModel.RelativePath);
}
