namespace Facemoji.Imaging.Tests.Support;

public class TolerantImageComparerTests
{
    [Fact]
    public void Accepts_small_differences_and_names_the_worst_pixel_of_large_ones()
    {
        byte[] expected = [10, 20, 30, 40, 50, 60];
        TolerantImageComparer.ShouldMatch(new byte[] { 11, 20, 30, 40, 49, 60 }, expected, width: 3, channels: 2, maxAbs: 1, maxMean: 0.5);

        var act = () => TolerantImageComparer.ShouldMatch(new byte[] { 10, 20, 30, 40, 55, 60 }, expected, width: 3, channels: 2);
        act.Should().Throw<Xunit.Sdk.XunitException>().WithMessage("*max |diff| 5*x=2, y=0, channel 0*");
    }

    [Fact]
    public void Mean_limit_catches_many_off_by_one_values()
    {
        byte[] expected = new byte[100];
        byte[] actual = Enumerable.Repeat((byte)1, 100).ToArray();
        var act = () => TolerantImageComparer.ShouldMatch(actual, expected, width: 10, channels: 1, maxAbs: 1, maxMean: 0.5);
        act.Should().Throw<Xunit.Sdk.XunitException>().WithMessage("*mean |diff| 1*");
    }
}
