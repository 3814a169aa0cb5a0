using Facemoji.Engine.Serialization;
using Facemoji.Imaging;
using Facemoji.Imaging.Processing;
using Facemoji.Pipeline.Classification;

namespace Facemoji.Pipeline.Tests.Classification;

/// <summary>The model file's crop policy decides the margin around a detected box; a policy the pipeline does not know is refused.</summary>
public sealed class FaceCropTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("face-box-1.02", 0.01)]
    [InlineData("face-box-1", 0.0)]
    [InlineData("face-box-1.3", 0.15)]
    public void A_face_box_policy_gives_half_the_growth_on_each_side(string policy, double margin) =>
        FaceCrop.MarginOf(policy, "m.fmj").Should().BeApproximately(margin, 1e-12);

    [Theory]
    [InlineData("haar-box+1%")]
    [InlineData("face-box-0.9")]
    [InlineData("face-box-4")]
    [InlineData("face-box-")]
    [InlineData("none")]
    public void An_unknown_policy_is_an_error_naming_the_model_and_the_policy(string policy) =>
        FluentActions.Invoking(() => FaceCrop.MarginOf(policy, "m.fmj")).Should().Throw<FacemojiException>()
            .WithMessage($"m.fmj: crop policy '{policy}' is not one the pipeline knows*");

    [Fact]
    public void The_pipeline_crops_as_the_model_file_says()
    {
        var photo = ColorConversion.ToGray(ImageCodecs.Load(RepositoryFiles.SamplePhotoPath));
        var box = new PixelRect(177, 66, 95, 95);
        string wide = WithPolicy("face-box-1.5");
        var classifier = EmotionClassifier.Load(wide);
        classifier.CropMargin.Should().BeApproximately(0.25, 1e-12);

        var shipped = EmotionClassifier.Load(RepositoryFiles.PathOf(ShippedModel.RelativePath));
        shipped.CropMargin.Should().BeApproximately(FaceCrop.Margin, 1e-12, "the shipped model was trained on FER2013's framing");

        var analyzer = FaceAnalyzer.Create(new AnalyzerOptions { ModelPath = wide });
        var expected = classifier.Classify([FaceCrop.Extract(photo, box, classifier.InputSize, 0.25)])[0];
        analyzer.Classify(photo, [box]).Single().Reading.Probabilities.Should().Equal(expected, "the analyzer cuts the face with the model's margin");
    }

    [Fact]
    public void A_model_with_an_unknown_policy_is_refused_when_loaded()
    {
        string path = WithPolicy("haar-box+1%");
        FluentActions.Invoking(() => FaceAnalyzer.Create(new AnalyzerOptions { ModelPath = path })).Should().Throw<FacemojiException>()
            .WithMessage($"*{Path.GetFileName(path)}: crop policy 'haar-box+1%'*");
    }

    private string WithPolicy(string policy)
    {
        var file = ModelFile.Read(UntrainedModel.Path);
        string path = folder.Combine($"{policy}.fmj");
        ModelFile.SaveWithHeader(path, file, file.Header with { Preprocessing = file.Header.Preprocessing with { CropPolicy = policy } });
        return path;
    }
}
