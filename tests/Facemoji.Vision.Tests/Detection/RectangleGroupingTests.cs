using Facemoji.Imaging;
using Facemoji.Vision.Detection;

namespace Facemoji.Vision.Tests.Detection;

public sealed class RectangleGroupingTests
{
    [Fact]
    public void Threshold_zero_returns_the_raw_rectangles()
    {
        PixelRect[] raw = [new(0, 0, 10, 10), new(1, 1, 10, 10)];
        RectangleGrouping.Group(raw, 0).Should().Equal(raw);
    }

    [Fact]
    public void A_cluster_is_averaged_with_float_rounding_half_to_even_and_lone_boxes_are_dropped()
    {
        PixelRect[] raw =
        [
            new(10, 20, 50, 50), new(11, 20, 50, 50), new(12, 21, 52, 52), new(13, 21, 52, 52),
            new(200, 200, 30, 30),
        ];

        List<PixelRect> grouped = RectangleGrouping.Group(raw, 3);

        // x: 46/4 = 11.5 -> 12 (half to even); y: 82/4 = 20.5 -> 20; size: 204/4 = 51.
        grouped.Should().Equal(new PixelRect(12, 20, 51, 51));
    }

    [Fact]
    public void A_cluster_needs_more_members_than_the_threshold()
    {
        PixelRect[] raw = [new(10, 10, 40, 40), new(11, 10, 40, 40), new(10, 11, 40, 40)];
        RectangleGrouping.Group(raw, 3).Should().BeEmpty();
        RectangleGrouping.Group(raw, 2).Should().ContainSingle();
    }

    [Fact]
    public void A_small_cluster_inside_a_stronger_big_one_is_removed()
    {
        var raw = new List<PixelRect>();
        for (int i = 0; i < 6; i++)
        {
            raw.Add(new PixelRect(100 + i, 100, 100, 100));
        }

        for (int i = 0; i < 2; i++)
        {
            raw.Add(new PixelRect(130 + i, 130, 30, 30));
        }

        List<PixelRect> grouped = RectangleGrouping.Group(raw, 1);

        grouped.Should().ContainSingle().Which.Width.Should().Be(100);
    }

    [Fact]
    public void An_inner_cluster_as_strong_as_the_outer_one_stays()
    {
        var raw = new List<PixelRect>();
        for (int i = 0; i < 4; i++)
        {
            raw.Add(new PixelRect(100 + i, 100, 100, 100));
            raw.Add(new PixelRect(130 + i, 130, 30, 30));
        }

        RectangleGrouping.Group(raw, 1).Should().HaveCount(2);
    }

    [Fact]
    public void Similarity_is_transitive_through_partition()
    {
        // a~b and b~c but not a~c: one class, as cv::partition makes connected components.
        PixelRect a = new(0, 0, 50, 50), b = new(8, 0, 50, 50), c = new(16, 0, 50, 50);
        RectangleGrouping.AreSimilar(a, b, 0.2).Should().BeTrue();
        RectangleGrouping.AreSimilar(b, c, 0.2).Should().BeTrue();
        RectangleGrouping.AreSimilar(a, c, 0.2).Should().BeFalse();

        RectangleGrouping.Partition([a, c, b], 0.2, out int classes).Should().Equal(0, 0, 0);
        classes.Should().Be(1);
    }

    [Fact]
    public void Similarity_uses_eps_times_the_mean_of_the_smaller_sides()
    {
        // delta = 0.2 * (40 + 40) / 2 = 8: a shift of 8 is similar, 9 is not.
        RectangleGrouping.AreSimilar(new PixelRect(0, 0, 40, 40), new PixelRect(8, 0, 40, 40), 0.2).Should().BeTrue();
        RectangleGrouping.AreSimilar(new PixelRect(0, 0, 40, 40), new PixelRect(9, 0, 40, 40), 0.2).Should().BeFalse();
    }

    [Fact]
    public void Grouping_with_neighbours_gives_the_same_boxes_with_their_cluster_sizes()
    {
        PixelRect[] raw =
        [
            new(10, 20, 50, 50), new(11, 20, 50, 50), new(12, 21, 52, 52), new(13, 21, 52, 52),
            new(200, 200, 30, 30), new(201, 200, 30, 30), new(200, 201, 30, 30),
            new(400, 400, 30, 30),
        ];

        var grouped = RectangleGrouping.GroupWithNeighbours(raw, 2);

        grouped.Select(g => g.Box).Should().Equal(RectangleGrouping.Group(raw, 2));
        grouped.Select(g => g.Neighbours).Should().Equal(4, 3);
        RectangleGrouping.GroupWithNeighbours(raw, 0).Should().OnlyContain(g => g.Neighbours == 1).And.HaveCount(raw.Length);
    }
}
