using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tensors;
using Facemoji.Training.Augmentation;
using Facemoji.Training.Data;

namespace Facemoji.Training.Tests.Augmentation;

[Collection(GlobalThreadSettingsCollection.Name)]
public class AugmenterTests
{
    private const int Side = FerDataset.Side;
    private static readonly Normalization Unit = new(0, 1);

    /// <summary>Images whose pixels all differ, so every mapping shows.</summary>
    private static FerDataset Gradients(int count)
    {
        var pixels = new byte[count * FerDataset.PixelsPerImage];
        for (int n = 0; n < count; n++)
        {
            for (int y = 0; y < Side; y++)
            {
                for (int x = 0; x < Side; x++)
                {
                    pixels[n * FerDataset.PixelsPerImage + y * Side + x] = (byte)(1 + x * 3 + y * 2 + n);
                }
            }
        }

        return new FerDataset(pixels, new byte[count], "gradients");
    }

    private static Tensor Render(FerDataset data, params SampleTransform[] transforms)
    {
        var output = new Tensor(transforms.Length, 1, Side, Side);
        new Augmenter(new AugmentationOptions(), Unit).Render(data, new int[transforms.Length], transforms, output);
        return output;
    }

    [Fact]
    public void The_same_seed_gives_the_same_batch_whatever_the_thread_count()
    {
        var data = Gradients(64);
        var augmenter = new Augmenter(new AugmentationOptions { ErasingProbability = 0.5f }, Normalization.Fer2013);
        int[] indices = Enumerable.Range(0, 64).ToArray();
        var a = new Tensor(64, 1, Side, Side);
        var b = new Tensor(64, 1, Side, Side);
        var c = new Tensor(64, 1, Side, Side);

        augmenter.Augment(data, indices, new SeededRandom(42), a);
        GlobalThreadSettingsCollection.OnOneThread(() => augmenter.Augment(data, indices, new SeededRandom(42), b));

        augmenter.Augment(data, indices, new SeededRandom(43), c);
        a.Span.ToArray().Should().Equal(b.Span.ToArray());
        a.Span.ToArray().Should().NotEqual(c.Span.ToArray());
    }

    [Fact]
    public void A_restored_generator_continues_the_same_stream()
    {
        var augmenter = new Augmenter(new AugmentationOptions(), Normalization.Fer2013);
        var rng = new SeededRandom(5);
        augmenter.Draw(rng, new SampleTransform[10]);
        var state = rng.SaveState();
        var expected = new SampleTransform[10];
        augmenter.Draw(rng, expected);

        var resumed = new SampleTransform[10];
        augmenter.Draw(SeededRandom.FromState(state), resumed);

        resumed.Should().Equal(expected);
    }

    [Fact]
    public void No_augmentation_is_the_identity_and_normalises()
    {
        var data = Gradients(2);
        var output = new Tensor(2, 1, Side, Side);
        var norm = new Normalization(0.5f, 0.25f);

        new Augmenter(AugmentationOptions.None, norm).Augment(data, [1, 0], new SeededRandom(1), output);

        output.Data[0].Should().BeApproximately((data.Image(1)[0] / 255f - 0.5f) / 0.25f, 1e-6f);
        output.Data[FerDataset.PixelsPerImage + 100].Should().BeApproximately((data.Image(0)[100] / 255f - 0.5f) / 0.25f, 1e-6f);
    }

    [Fact]
    public void Flip_mirrors_each_row_exactly()
    {
        var data = Gradients(1);

        var output = Render(data, SampleTransform.Identity with { Flip = true });

        for (int y = 0; y < Side; y++)
        {
            for (int x = 0; x < Side; x++)
            {
                output.Data[y * Side + x].Should().BeApproximately(data.Image(0)[y * Side + (Side - 1 - x)] / 255f, 1e-6f);
            }
        }
    }

    [Fact]
    public void A_half_turn_is_a_flip_of_both_axes_and_a_shift_moves_content_with_black_padding()
    {
        var data = Gradients(1);

        var output = Render(data, SampleTransform.Identity with { RotationDegrees = 180 }, SampleTransform.Shifted(3, -2));

        var image = data.Image(0);
        output.Data[5 * Side + 7].Should().BeApproximately(image[(Side - 1 - 5) * Side + (Side - 1 - 7)] / 255f, 1e-4f);
        int second = FerDataset.PixelsPerImage;
        output.Data[second + 10 * Side + 20].Should().BeApproximately(image[12 * Side + 17] / 255f, 1e-6f);
        output.Data[second + 10 * Side + 2].Should().Be(0f, "columns shifted in from the left are padding");
        output.Data[second + 46 * Side + 20].Should().Be(0f, "rows shifted in from the bottom are padding");
    }

    [Fact]
    public void Erasing_stays_inside_the_image_within_the_area_range_and_zeroes_exactly_its_rectangle()
    {
        var options = new AugmentationOptions { ErasingProbability = 1, ErasingMinArea = 0.02f, ErasingMaxArea = 0.15f };
        var augmenter = new Augmenter(options, Unit);
        var transforms = new SampleTransform[500];
        augmenter.Draw(new SeededRandom(9), transforms);

        foreach (var t in transforms)
        {
            t.HasErasing.Should().BeTrue();
            t.EraseX.Should().BeGreaterThanOrEqualTo(0);
            t.EraseY.Should().BeGreaterThanOrEqualTo(0);
            (t.EraseX + t.EraseWidth).Should().BeLessThanOrEqualTo(Side);
            (t.EraseY + t.EraseHeight).Should().BeLessThanOrEqualTo(Side);
            float area = t.EraseWidth * t.EraseHeight / (float)(Side * Side);
            area.Should().BeInRange(0.01f, 0.2f);
        }

        var data = Gradients(1);
        var erase = SampleTransform.Identity with { EraseX = 40, EraseY = 3, EraseWidth = 8, EraseHeight = 5 };
        var output = Render(data, erase);
        for (int y = 0; y < Side; y++)
        {
            for (int x = 0; x < Side; x++)
            {
                bool inside = x >= 40 && y >= 3 && y < 8;
                (output.Data[y * Side + x] == 0f).Should().Be(inside, $"pixel ({x},{y}) is {(inside ? "inside" : "outside")} the patch");
            }
        }
    }

    [Fact]
    public void Drawn_parameters_stay_in_their_ranges_and_vary()
    {
        var options = new AugmentationOptions();
        var transforms = new SampleTransform[2000];
        new Augmenter(options, Unit).Draw(new SeededRandom(3), transforms);

        transforms.Should().OnlyContain(t => Math.Abs(t.RotationDegrees) <= 10 && Math.Abs(t.Scale - 1) <= 0.1f + 1e-6f
            && Math.Abs(t.ShiftX) <= 4 + 2.4f + 1e-4f && t.BrightnessFactor >= 0.8f && t.ContrastFactor <= 1.2f);
        transforms.Count(t => t.Flip).Should().BeInRange(900, 1100);
        transforms.Count(t => t.HasErasing).Should().BeInRange(400, 600);
    }
}
