using Facemoji.Imaging.Formats.Png;
using Facemoji.Imaging.Tests.Support;

namespace Facemoji.Imaging.Tests.Formats;

public class PngEncoderTests
{
    private static RgbaImage RandomImage(int width, int height, int seed, bool opaque, bool gray)
    {
        var random = new Random(seed);
        var image = new RgbaImage(width, height);
        for (int y = 0; y < height; y++)
        {
            Span<byte> row = image.Row(y);
            for (int x = 0; x < width; x++)
            {
                // Half smooth gradient, half noise, so that different filters win on different rows.
                int v = y % 2 == 0 ? (x * 7 + y * 3) & 255 : random.Next(256);
                row[x * 4] = (byte)v;
                row[x * 4 + 1] = gray ? (byte)v : (byte)(255 - v);
                row[x * 4 + 2] = gray ? (byte)v : (byte)(v / 2);
                row[x * 4 + 3] = opaque ? (byte)255 : (byte)random.Next(256);
            }
        }

        return image;
    }

    [Theory]
    [InlineData(false, false, PngColorType.Rgba)]
    [InlineData(true, false, PngColorType.Rgb)]
    [InlineData(true, true, PngColorType.Gray)]
    public void Round_trips_and_picks_the_smallest_lossless_type(bool opaque, bool gray, PngColorType expectedType)
    {
        RgbaImage image = RandomImage(37, 23, 5, opaque, gray);

        byte[] png = PngEncoder.Encode(image);

        PngDecoder.ReadHeader(png, "x").ColorType.Should().Be(expectedType);
        PngDecoder.Decode(png, "x").Pixels.Should().Equal(image.Pixels);
    }

    [Fact]
    public void Forced_rgba_and_gray_images_round_trip()
    {
        RgbaImage image = RandomImage(16, 9, 2, opaque: true, gray: false);
        PngDecoder.Decode(PngEncoder.Encode(image, PngColorType.Rgba), "x").Pixels.Should().Equal(image.Pixels);

        var gray = new GrayImage(19, 4);
        new Random(3).NextBytes(gray.Pixels);
        PngDecoder.DecodeGray(PngEncoder.Encode(gray), "g").Pixels.Should().Equal(gray.Pixels);
    }

    [Fact]
    public void Adaptive_filtering_round_trips_a_photo_at_a_size_close_to_a_real_encoder()
    {
        RgbaImage photo = PngDecoder.Decode(File.ReadAllBytes(RepositoryFiles.SamplePhoto()), "astronaut.png");

        byte[] png = PngEncoder.Encode(photo);

        PngDecoder.Decode(png, "x").Pixels.Should().Equal(photo.Pixels);
        // The sample file itself (written by a real encoder) is a fair yardstick: within 15%.
        png.Length.Should().BeLessThan((int)(new FileInfo(RepositoryFiles.SamplePhoto()).Length * 1.15));
    }

    [Fact]
    public void Palette_is_not_an_encoder_type()
    {
        var act = () => PngEncoder.Encode(new RgbaImage(2, 2), PngColorType.Palette);
        act.Should().Throw<ArgumentException>();
    }
}
