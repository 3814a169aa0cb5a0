using System.Text.Json;
using Facemoji.Engine;
using Facemoji.Imaging;

namespace Facemoji.Pipeline.Tests;

public class FaceAnalyzerTests
{
    private static FaceAnalyzer CreateAnalyzer() => FaceAnalyzer.Create(new AnalyzerOptions { ModelPath = UntrainedModel.Path });

    [Fact]
    [Trait("Category", "Slow")]
    public void Finds_the_astronauts_face_and_gives_a_distribution()
    {
        var faces = CreateAnalyzer().Analyze(ImageCodecs.Load(RepositoryFiles.SamplePhotoPath));

        var face = faces.Should().ContainSingle().Subject;
        // The face in the 512x512 portrait sits left of centre in the upper half (checked by eye and by OpenCV).
        face.Box.X.Should().BeInRange(140, 200);
        face.Box.Y.Should().BeInRange(60, 120);
        face.Box.Width.Should().BeInRange(90, 140);
        face.Reading.Probabilities.Sum().Should().BeApproximately(1f, 1e-4f);
        face.Reading.Probabilities.Should().OnlyContain(p => p >= 0 && p <= 1);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_picture_without_faces_gives_none()
    {
        var blank = new RgbaImage(320, 240);
        blank.Pixels.AsSpan().Fill(200);
        CreateAnalyzer().Analyze(blank).Should().BeEmpty();
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Two_analyzers_built_from_one_model_agree_exactly()
    {
        var photo = ImageCodecs.Load(RepositoryFiles.SamplePhotoPath);
        var a = CreateAnalyzer().Analyze(photo).Single().Reading.Probabilities;
        var b = CreateAnalyzer().Analyze(photo).Single().Reading.Probabilities;
        b.Should().Equal(a);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void One_analyzer_reusing_its_gray_buffer_answers_each_image_as_a_fresh_one_does()
    {
        var photo = ImageCodecs.Load(RepositoryFiles.SamplePhotoPath);
        var mirrored = new RgbaImage(photo.Width, photo.Height);
        for (int y = 0; y < photo.Height; y++)
        {
            for (int x = 0; x < photo.Width; x++)
            {
                photo.Row(y).Slice(x * 4, 4).CopyTo(mirrored.Row(y).Slice((photo.Width - 1 - x) * 4, 4));
            }
        }

        var reused = CreateAnalyzer();
        var first = reused.Analyze(photo);
        var second = reused.Analyze(mirrored);
        var third = reused.Analyze(photo);

        var freshMirrored = CreateAnalyzer().Analyze(mirrored);
        second.Select(f => f.Box).Should().Equal(freshMirrored.Select(f => f.Box));
        second.Single().Box.Should().NotBe(first.Single().Box, "the mirrored photo has its face on the other side");
        second.Single().Reading.Probabilities.Should().Equal(freshMirrored.Single().Reading.Probabilities);
        third.Single().Box.Should().Be(first.Single().Box);
        third.Single().Reading.Probabilities.Should().Equal(first.Single().Reading.Probabilities);
    }

    [Fact]
    public void Json_has_the_documented_fields()
    {
        var photo = ImageCodecs.Load(RepositoryFiles.SamplePhotoPath);
        var faces = CreateAnalyzer().Analyze(photo);
        using var doc = JsonDocument.Parse(AnalysisJson.ImageLine("astronaut.png", photo.Width, photo.Height, faces));
        var root = doc.RootElement;
        root.GetProperty("file").GetString().Should().Be("astronaut.png");
        root.GetProperty("width").GetInt32().Should().Be(512);
        var face = root.GetProperty("faces")[0];
        face.GetProperty("box").GetArrayLength().Should().Be(4);
        face.GetProperty("emotion").GetString().Should().NotBeNullOrEmpty();
        face.GetProperty("intensity").GetString().Should().BeOneOf("mild", "clear", "strong");
        face.GetProperty("emoji").GetString().Should().NotBeNullOrEmpty();
        face.GetProperty("probabilities").EnumerateObject().Select(p => p.Name)
            .Should().Equal("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral");
    }

    [Fact]
    public void A_missing_model_file_is_a_clear_error()
    {
        var act = () => FaceAnalyzer.Create(new AnalyzerOptions { ModelPath = "/nonexistent/model.fmm" });
        act.Should().Throw<FacemojiException>().WithMessage("*/nonexistent/model.fmm*");
    }

    [Fact]
    public void A_missing_cascade_says_how_to_install_it()
    {
        var act = () => FaceAnalyzer.Create(new AnalyzerOptions { ModelPath = UntrainedModel.Path, CascadePath = "/nonexistent/cascade.xml" });
        act.Should().Throw<FacemojiException>().WithMessage("*cascade.xml*");
    }
}
