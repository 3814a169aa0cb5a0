using Facemoji.Pipeline;
using Facemoji.Web.Analysis;

namespace Facemoji.Web.Tests.Analysis;

/// <summary>The live page's sensitivity reaches the detector it runs: BlazeFace, the default, as well as the cascades.</summary>
public sealed class AnalyzerPoolTests
{
    [Theory]
    [InlineData("high", 0.5)]
    [InlineData("normal", null)]
    [InlineData("low", 0.75)]
    [InlineData(null, null)]
    public void Sensitivity_sets_the_blazeface_score_threshold(string? sensitivity, double? expected)
    {
        // null: the detector's own (0.6); FaceDetectorsTests check that the score reaches the detector.
        AnalyzerPool.LiveOptions(new AnalyzerOptions(), sensitivity).MinFaceScore.Should().Be(expected);
    }

    [Fact]
    public void A_user_threshold_is_kept_where_it_is_already_stricter_or_looser()
    {
        var strict = new AnalyzerOptions { MinFaceScore = 0.8 };
        var loose = new AnalyzerOptions { MinFaceScore = 0.4 };

        AnalyzerPool.LiveOptions(strict, "low").MinFaceScore.Should().Be(0.8);
        AnalyzerPool.LiveOptions(loose, "high").MinFaceScore.Should().Be(0.4);
    }
}
