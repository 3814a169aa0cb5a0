using Facemoji.Pipeline.Tracking;
using Facemoji.Vision.Detection;

namespace Facemoji.Pipeline.Tests.Tracking;

/// <summary>The video schedule of a split detector's search: the whole search first, then its looks round robin.</summary>
public sealed class StaggeredSearchTests
{
    // 21 looks, as BlazeFace's short-range search has on a 640x480 frame; each square tells its place by its angle.
    private static readonly Func<int, int, IReadOnlyList<SearchSquare>> Squares = (width, height) =>
        Enumerable.Range(0, 21).Select(i => new SearchSquare(width / 2.0, height / 2.0, width, i)).ToList();

    [Fact]
    public void TheFirstFrameGetsTheWholeSearch()
    {
        var search = new StaggeredSearch(Squares);
        search.Next(640, 480, 0).Should().HaveCount(21);
        search.SquareCount.Should().Be(21);
    }

    [Fact]
    public void WhileAFaceIsTrackedEveryLookComesUpOnceARound()
    {
        var search = new StaggeredSearch(Squares);
        search.Next(640, 480, 0);
        int round = search.FramesPerRound(tracking: true);
        round.Should().Be(21 * StaggeredSearch.FramesPerLookWhileTracking);

        var looks = Enumerable.Range(0, round).Select(_ => search.Next(640, 480, 1)).ToList();
        looks.Should().OnlyContain(l => l.Count <= 1);
        looks.Count(l => l.Count == 1).Should().Be(21, "one look every FramesPerLookWhileTracking frames");
        looks.SelectMany(l => l).Select(s => s.Angle).Should().BeEquivalentTo(Enumerable.Range(0, 21).Select(i => (double)i), "each look once a round");
    }

    [Fact]
    public void WithoutFacesThreeLooksAFrameCoverTheFrameInSevenFrames()
    {
        var search = new StaggeredSearch(Squares);
        search.Next(640, 480, 0);
        search.FramesPerRound(tracking: false).Should().Be(7);
        var looks = Enumerable.Range(0, 7).SelectMany(_ => search.Next(640, 480, 0)).Select(s => s.Angle).ToList();
        looks.Should().Equal(Enumerable.Range(0, 21).Select(i => (double)i));
    }

    [Fact]
    public void ANewFrameSizeStartsWithTheWholeSearchAgain()
    {
        var search = new StaggeredSearch(Squares);
        search.Next(640, 480, 0);
        search.Next(640, 480, 1);
        search.Next(320, 240, 1).Should().HaveCount(21).And.OnlyContain(s => s.Side == 320);
    }
}
