using Facemoji.Vision.Detection.BlazeFace;

namespace Facemoji.Vision.Tests.Detection.BlazeFace;

public sealed class BlazeFaceDecoderTests
{
    [Fact]
    public void DecodesOffsetsRelativeToTheAnchorAndScoresBySigmoid()
    {
        (float, float)[] anchors = [(0.25f, 0.5f), (0.75f, 0.5f)];
        float[] regressors = new float[32];
        // Anchor 0: centre moved by (12.8, -6.4) px of 128, box 32x64 px, right eye 6.4 px left of the anchor.
        regressors[0] = 12.8f; regressors[1] = -6.4f; regressors[2] = 32; regressors[3] = 64; regressors[4] = -6.4f;
        float[] scores = [2f, -3f];
        var found = BlazeFaceDecoder.Decode(regressors, scores, anchors, 128, 0.5);
        var d = found.Should().ContainSingle().Subject;
        d.Score.Should().BeApproximately(1f / (1f + MathF.Exp(-2f)), 1e-6f);
        ((d.XMin + d.XMax) / 2).Should().BeApproximately(0.35f, 1e-6f);
        ((d.YMin + d.YMax) / 2).Should().BeApproximately(0.45f, 1e-6f);
        d.Width.Should().BeApproximately(0.25f, 1e-6f);
        d.Height.Should().BeApproximately(0.5f, 1e-6f);
        d.Keypoints[0].Should().BeApproximately(0.2f, 1e-6f);
        d.Keypoints[1].Should().BeApproximately(0.5f, 1e-6f);
    }

    [Fact]
    public void WeightedSuppressionAveragesOverlappingBoxesByScore()
    {
        var a = new RawDetection(0.0f, 0.0f, 1.0f, 1.0f, [0.5f, 0.5f], 0.9f);
        var b = new RawDetection(0.1f, 0.1f, 1.1f, 1.1f, [0.7f, 0.7f], 0.3f);
        var far = new RawDetection(5f, 5f, 6f, 6f, [5.5f, 5.5f], 0.6f);
        var merged = BlazeFaceDecoder.WeightedNonMaxSuppression([b, far, a], 0.3);
        merged.Should().HaveCount(2);
        merged[0].Score.Should().Be(0.9f);
        merged[0].XMin.Should().BeApproximately(0.025f, 1e-6f);
        merged[0].Keypoints[0].Should().BeApproximately(0.55f, 1e-6f);
        merged[1].XMin.Should().Be(5f);
        merged[1].Keypoints.Should().Equal(5.5f, 5.5f);
    }
}
