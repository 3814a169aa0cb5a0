using Facemoji.Vision.Detection.BlazeFace;

namespace Facemoji.Vision.Tests.Detection.BlazeFace;

public sealed class SsdAnchorsTests
{
    [Fact]
    public void ShortRangeHas896AnchorsOnA16And8Grid()
    {
        var m = BlazeFaceModel.ShortRange;
        var anchors = SsdAnchors.Generate(m.InputSize, m.Strides, m.InterpolatedScaleAspectRatio);
        anchors.Should().HaveCount(896);
        // 16x16 cells with 2 anchors, then 8x8 cells with 6 (three stride-16 layers of 2).
        anchors[0].Should().Be((0.5f / 16, 0.5f / 16));
        anchors[1].Should().Be(anchors[0]);
        anchors[2].X.Should().BeApproximately(1.5f / 16, 1e-6f);
        anchors[512].Should().Be((0.5f / 8, 0.5f / 8));
        anchors[517].Should().Be(anchors[512]);
        anchors[518].X.Should().BeApproximately(1.5f / 8, 1e-6f);
        anchors[^1].Should().Be((7.5f / 8, 7.5f / 8));
    }

    [Fact]
    public void FullRangeHasOneAnchorPerCellOfA48Grid()
    {
        var m = BlazeFaceModel.FullRange;
        var anchors = SsdAnchors.Generate(m.InputSize, m.Strides, m.InterpolatedScaleAspectRatio);
        anchors.Should().HaveCount(2304);
        anchors[1].X.Should().BeApproximately(1.5f / 48, 1e-6f);
        anchors[48].Should().Be((0.5f / 48, 1.5f / 48));
    }
}
