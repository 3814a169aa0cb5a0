using Facemoji.Imaging.Processing;
using Facemoji.Imaging.Tests.Support;

namespace Facemoji.Imaging.Tests.Processing;

public class ColorConversionTests
{
    [Fact]
    public void Gray_equals_opencv_cvtColor_exactly()
    {
        RgbaImage photo = ImageCodecs.Decode(File.ReadAllBytes(RepositoryFiles.SamplePhoto()), "astronaut.png");
        GrayImage expected = ImageCodecs.DecodeGray(File.ReadAllBytes(TestFiles.Fixture("opencv", "gray_of_crop_96.png")), "fixture");

        GrayImage gray = ColorConversion.ToGray(Cropping.Crop(photo, new PixelRect(180, 60, 96, 96)));

        gray.Pixels.Should().Equal(expected.Pixels);
    }

    [Fact]
    public void Png_gray_fast_path_equals_rgba_then_gray()
    {
        byte[] png = File.ReadAllBytes(RepositoryFiles.SamplePhoto());
        ImageCodecs.DecodeGray(png, "a").Pixels.Should().Equal(ColorConversion.ToGray(ImageCodecs.Decode(png, "a")).Pixels);
    }

    [Fact]
    public void Gray_into_a_given_buffer_overwrites_it_with_the_same_pixels()
    {
        RgbaImage photo = ImageCodecs.Decode(File.ReadAllBytes(RepositoryFiles.SamplePhoto()), "astronaut.png");
        var buffer = new GrayImage(photo.Width, photo.Height);
        buffer.Pixels.AsSpan().Fill(7);

        GrayImage gray = ColorConversion.ToGray(photo, buffer);

        gray.Should().BeSameAs(buffer);
        gray.Pixels.Should().Equal(ColorConversion.ToGray(photo).Pixels);
        FluentActions.Invoking(() => ColorConversion.ToGray(photo, new GrayImage(3, 3))).Should().Throw<ArgumentException>().WithMessage("*3x3*");
    }

    [Fact]
    public void Gray_to_rgba_and_back_is_lossless()
    {
        var gray = new GrayImage(256, 3);
        for (int i = 0; i < gray.Pixels.Length; i++)
        {
            gray.Pixels[i] = (byte)i;
        }

        RgbaImage rgba = ColorConversion.ToRgba(gray);
        rgba.Row(2)[(200 * 4)..(201 * 4)].ToArray().Should().Equal(200, 200, 200, 255);
        ColorConversion.ToGray(rgba).Pixels.Should().Equal(gray.Pixels);
    }

    [Fact]
    public void Crop_copies_the_rectangle_and_refuses_outside_ones()
    {
        var gray = new GrayImage(4, 3, [0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23]);
        Cropping.Crop(gray, new PixelRect(1, 1, 2, 2)).Pixels.Should().Equal(11, 12, 21, 22);
        var act = () => Cropping.Crop(gray, new PixelRect(3, 0, 2, 1));
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
