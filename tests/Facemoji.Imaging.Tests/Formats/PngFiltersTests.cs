using Facemoji.Imaging.Formats.Png;

namespace Facemoji.Imaging.Tests.Formats;

[Trait("Category", "Kernels")]
public class PngFiltersTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(8)]
    public void Optimised_unfilter_equals_the_reference(int stride)
    {
        var random = new Random(stride);
        foreach (int pixels in new[] { 1, 2, 3, 5, 17, 64, 101 })
        {
            int n = pixels * stride;
            for (int filter = 0; filter <= 4; filter++)
            {
                byte[] prior = new byte[n], row = new byte[n];
                random.NextBytes(prior);
                random.NextBytes(row);
                if (filter == 4 && pixels > 3)
                {
                    // Ties between the predictors are where Paeth implementations go wrong.
                    Array.Fill(prior, (byte)7, 0, n / 2);
                }

                byte[] expected = (byte[])row.Clone();
                PngFilters.UnfilterReference(filter, expected, prior, stride).Should().BeTrue();
                PngFilters.Unfilter(filter, row, prior, stride).Should().BeTrue();
                row.Should().Equal(expected, $"filter {filter}, stride {stride}, {pixels} pixels");
            }
        }
    }

    [Fact]
    public void Filtering_then_unfiltering_gives_the_row_back()
    {
        var random = new Random(9);
        byte[] prior = new byte[60], row = new byte[60], filtered = new byte[60];
        random.NextBytes(prior);
        random.NextBytes(row);
        for (int filter = 0; filter <= 4; filter++)
        {
            PngFilters.Apply(filter, row, prior, 3, filtered);
            byte[] back = (byte[])filtered.Clone();
            PngFilters.Unfilter(filter, back, prior, 3);
            back.Should().Equal(row);
        }
    }

    [Fact]
    public void Unknown_filter_types_are_reported()
    {
        PngFilters.Unfilter(5, new byte[8], new byte[8], 1).Should().BeFalse();
    }
}
