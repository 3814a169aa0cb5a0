using Facemoji.Imaging.Processing;
using Facemoji.Imaging.Tests.Support;

namespace Facemoji.Imaging.Tests.Processing;

public class ResizerTests
{
    private static readonly Lazy<RgbaImage> Astronaut = new(() =>
    {
        // The same RGBA the fixture script builds: the photo plus an alpha ramp (x / 2 + y / 4) mod 256.
        RgbaImage image = ImageCodecs.Decode(File.ReadAllBytes(RepositoryFiles.SamplePhoto()), "astronaut.png");
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                image.Row(y)[x * 4 + 3] = (byte)(x / 2 + y / 4);
            }
        }

        return image;
    });

    // Mirrors RESIZE_CASES in tools/make_imaging_fixtures.py: name, channels, crop (or empty), width, height, mode.
    public static TheoryData<string, int, int[], int, int, ResizeMode> Cases() => new()
    {
        { "gray_linear_97x61", 1, [], 97, 61, ResizeMode.Bilinear },
        { "gray_linear_48x48", 1, [], 48, 48, ResizeMode.Bilinear },
        { "gray_linear_up_101x77", 1, [180, 60, 40, 30], 101, 77, ResizeMode.Bilinear },
        { "gray_linear_up_160x120", 1, [180, 60, 40, 30], 160, 120, ResizeMode.Bilinear },
        { "gray_linear_mixed_30x90", 1, [180, 60, 40, 30], 30, 90, ResizeMode.Bilinear },
        { "gray_area_48x48", 1, [], 48, 48, ResizeMode.Area },
        { "gray_area_100x75", 1, [], 100, 75, ResizeMode.Area },
        { "gray_area_128x128", 1, [], 128, 128, ResizeMode.Area },
        { "gray_area_half_20x15", 1, [180, 60, 40, 30], 20, 15, ResizeMode.Area },
        { "gray_area_third_49x37", 1, [150, 40, 147, 111], 49, 37, ResizeMode.Area },
        { "gray_area_up_101x77", 1, [180, 60, 40, 30], 101, 77, ResizeMode.Area },
        { "rgba_linear_97x61", 4, [], 97, 61, ResizeMode.Bilinear },
        { "rgba_linear_up_101x77", 4, [180, 60, 40, 30], 101, 77, ResizeMode.Bilinear },
        { "rgba_area_100x75", 4, [], 100, 75, ResizeMode.Area },
        { "rgba_area_128x128", 4, [], 128, 128, ResizeMode.Area },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_opencv_resize(string name, int channels, int[] crop, int width, int height, ResizeMode mode)
    {
        RgbaImage source = Astronaut.Value;
        if (crop.Length == 4)
        {
            source = Cropping.Crop(source, new PixelRect(crop[0], crop[1], crop[2], crop[3]));
        }

        byte[] expected = File.ReadAllBytes(TestFiles.Fixture("opencv", name + ".png"));
        if (channels == 1)
        {
            GrayImage actual = Resizer.Resize(ColorConversion.ToGray(source), width, height, mode);
            TolerantImageComparer.ShouldMatch(actual, ImageCodecs.DecodeGray(expected, name), maxAbs: 1, maxMean: 0.02, because: name);
        }
        else
        {
            RgbaImage actual = Resizer.Resize(source, width, height, mode);
            TolerantImageComparer.ShouldMatch(actual, ImageCodecs.Decode(expected, name), maxAbs: 1, maxMean: 0.02, because: name);
        }
    }

    [Fact]
    public void Same_size_is_a_copy_and_a_constant_image_stays_constant()
    {
        var gray = new GrayImage(7, 5);
        Array.Fill(gray.Pixels, (byte)77);
        Resizer.Resize(gray, 7, 5).Pixels.Should().Equal(gray.Pixels).And.NotBeSameAs(gray.Pixels);
        foreach (var mode in new[] { ResizeMode.Bilinear, ResizeMode.Area })
        {
            Resizer.Resize(gray, 3, 2, mode).Pixels.Should().AllBeEquivalentTo((byte)77);
            Resizer.Resize(gray, 19, 13, mode).Pixels.Should().AllBeEquivalentTo((byte)77);
        }
    }

    [Fact]
    public void Single_threaded_and_parallel_runs_agree()
    {
        GrayImage gray = ColorConversion.ToGray(Astronaut.Value);
        int saved = ParallelRows.MaxDegreeOfParallelism;
        try
        {
            ParallelRows.MaxDegreeOfParallelism = 1;
            byte[] serialLinear = Resizer.Resize(gray, 333, 411).Pixels;
            byte[] serialArea = Resizer.Resize(gray, 123, 77, ResizeMode.Area).Pixels;
            ParallelRows.MaxDegreeOfParallelism = 4;
            Resizer.Resize(gray, 333, 411).Pixels.Should().Equal(serialLinear);
            Resizer.Resize(gray, 123, 77, ResizeMode.Area).Pixels.Should().Equal(serialArea);
        }
        finally
        {
            ParallelRows.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void Refuses_empty_sizes()
    {
        var act = () => Resizer.Resize(new GrayImage(4, 4), 0, 3);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
