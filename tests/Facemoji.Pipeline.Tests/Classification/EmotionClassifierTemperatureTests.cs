using Facemoji.Engine.Serialization;
using Facemoji.Imaging;

namespace Facemoji.Pipeline.Tests.Classification;

/// <summary>The pipeline shows calibrated probabilities: a model file's temperature divides the logits before the softmax.</summary>
public sealed class EmotionClassifierTemperatureTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "facemoji-pipeline-temperature", Guid.NewGuid().ToString("N"));

    public EmotionClassifierTemperatureTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string WithTemperature(double? temperature)
    {
        var file = ModelFile.Read(Path.Combine(RepositoryFiles.RepositoryRoot, ShippedModel.RelativePath));
        string path = Path.Combine(folder, $"t{temperature}.fmj");
        ModelFile.SaveWithHeader(path, file, file.Header with { Temperature = temperature });
        return path;
    }

    private static IReadOnlyList<float> Read(string model) =>
        FaceAnalyzer.Create(new AnalyzerOptions { ModelPath = model }).Analyze(ImageCodecs.Load(RepositoryFiles.SamplePhotoPath)).Single().Reading.Probabilities;

    [Fact]
    [Trait("Category", "Slow")]
    public void A_temperature_above_one_softens_and_below_one_sharpens_the_shown_probabilities()
    {
        var plain = Read(WithTemperature(null));
        var one = Read(WithTemperature(1));
        var soft = Read(WithTemperature(3));
        var sharp = Read(WithTemperature(0.5));

        one.Should().Equal(plain, "T = 1 is the plain softmax");
        soft.Sum().Should().BeApproximately(1f, 1e-4f);
        soft.Max().Should().BeLessThan(plain.Max());
        soft.Min().Should().BeGreaterThan(plain.Min());
        sharp.Max().Should().BeGreaterThan(plain.Max());
        soft.ToList().IndexOf(soft.Max()).Should().Be(plain.ToList().IndexOf(plain.Max()));
    }
}
