using Facemoji.Training.Data;

namespace Facemoji.Training.Tests.Data;

public class StratifiedSplitTests
{
    private static FerDataset Make(params int[] perClass)
    {
        var labels = perClass.SelectMany((n, c) => Enumerable.Repeat((byte)c, n)).ToArray();
        var pixels = new byte[labels.Length * FerDataset.PixelsPerImage];
        for (int i = 0; i < labels.Length; i++)
        {
            pixels[i * FerDataset.PixelsPerImage] = (byte)i;
        }

        return new FerDataset(pixels, labels, "test");
    }

    [Fact]
    public void Holds_out_the_fraction_of_every_class_and_loses_nothing()
    {
        var data = Make(100, 10, 50, 200, 30, 20, 40);

        var (kept, heldOut) = StratifiedSplit.Split(data, 0.1, seed: 1);

        heldOut.ClassCounts().Should().Equal(10, 1, 5, 20, 3, 2, 4);
        kept.ClassCounts().Should().Equal(90, 9, 45, 180, 27, 18, 36);
        var firstBytes = Enumerable.Range(0, kept.Count).Select(i => kept.Image(i)[0])
            .Concat(Enumerable.Range(0, heldOut.Count).Select(i => heldOut.Image(i)[0]));
        firstBytes.Order().Should().Equal(Enumerable.Range(0, data.Count).Select(i => (byte)i).Order());
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        var data = Make(50, 50, 50, 50, 50, 50, 50);

        var a = StratifiedSplit.Split(data, 0.2, 7).HeldOut.Pixels;
        var b = StratifiedSplit.Split(data, 0.2, 7).HeldOut.Pixels;
        var c = StratifiedSplit.Split(data, 0.2, 8).HeldOut.Pixels;

        a.Should().Equal(b);
        a.Should().NotEqual(c);
    }
}
