using Facemoji.Vision.Detection;
using Facemoji.Vision.Detection.BlazeFace;

namespace Facemoji.Pipeline.Tests;

/// <summary>The detectors by name: BlazeFace's score threshold (the web page's sensitivity uses it) and its thorough search from the options.</summary>
public sealed class FaceDetectorsTests
{
    [Theory]
    [InlineData("blazeface")]
    [InlineData("blazeface-full")]
    public void A_minimum_face_score_reaches_blazeface(string name)
    {
        var detector = FaceDetectors.Create(name, null, DetectionOptions.Default, 0.75);

        detector.Should().BeOfType<BlazeFaceDetector>().Which.MinScore.Should().Be(0.75);
    }

    [Fact]
    public void Without_one_blazeface_keeps_its_own_threshold()
    {
        var detector = FaceDetectors.Create(FaceDetectors.BlazeFace, null, DetectionOptions.Default);

        detector.Should().BeOfType<BlazeFaceDetector>().Which.MinScore.Should().Be(new BlazeFaceDetector(BlazeFaceModel.ShortRange).MinScore);
    }

    [Fact]
    public void The_analyzer_passes_its_minimum_face_score_on()
    {
        var analyzer = FaceAnalyzer.Create(new AnalyzerOptions { MinFaceScore = 0.5 });

        analyzer.Detector.Should().BeOfType<BlazeFaceDetector>().Which.MinScore.Should().Be(0.5);
    }

    [Fact]
    public void Thorough_makes_the_blazeface_photo_search_run_every_stage()
    {
        FaceDetectors.Create(FaceDetectors.BlazeFace, null, DetectionOptions.Default).Should().BeOfType<BlazeFaceDetector>().Which.StopWhenFound.Should().BeTrue();
        FaceDetectors.Create(FaceDetectors.BlazeFaceFull, null, DetectionOptions.Default, 0.7, thorough: true)
            .Should().BeOfType<BlazeFaceDetector>().Which.StopWhenFound.Should().BeFalse();
        FaceAnalyzer.Create(new AnalyzerOptions { Thorough = true }).Detector.Should().BeOfType<BlazeFaceDetector>().Which.StopWhenFound.Should().BeFalse();
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void A_score_outside_0_to_1_is_refused(double score)
    {
        var act = () => FaceDetectors.Create(FaceDetectors.BlazeFace, null, DetectionOptions.Default, score);

        act.Should().Throw<FacemojiException>().WithMessage("*from 0 to 1*");
    }
}
