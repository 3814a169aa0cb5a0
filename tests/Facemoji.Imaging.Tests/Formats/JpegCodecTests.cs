using Facemoji.Imaging.Formats.Jpeg;
using Facemoji.Imaging.Tests.Support;

namespace Facemoji.Imaging.Tests.Formats;

public class JpegCodecTests
{
    public static TheoryData<string> FixtureNames()
    {
        var names = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(TestFiles.Fixture("jpeg"), "*.rgba").Order())
        {
            names.Add(Path.GetFileNameWithoutExtension(path));
        }

        return names;
    }

    public static TheoryData<string> GrayFixtureNames()
    {
        var names = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(TestFiles.Fixture("jpeg"), "*.gray").Order())
        {
            names.Add(Path.GetFileNameWithoutExtension(path));
        }

        return names;
    }

    private static byte[] Jpeg(string name) => File.ReadAllBytes(TestFiles.Fixture("jpeg", name + ".jpg"));

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Decodes_upright_rgba_as_pil_does(string name)
    {
        byte[] expected = File.ReadAllBytes(TestFiles.Fixture("jpeg", name + ".rgba"));

        RgbaImage image = JpegDecoder.Decode(Jpeg(name), name);

        // PIL links the same libjpeg-turbo; only the CMYK conversion rounds on its own.
        TolerantImageComparer.ShouldMatch(image.Pixels, expected, image.Width, 4, maxAbs: 1, maxMean: 0.05, because: name);
    }

    [Theory]
    [MemberData(nameof(GrayFixtureNames))]
    public void Decodes_upright_gray_as_libjpeg_grayscale_output(string name)
    {
        byte[] expected = File.ReadAllBytes(TestFiles.Fixture("jpeg", name + ".gray"));

        GrayImage image = JpegDecoder.DecodeGray(Jpeg(name), name);

        TolerantImageComparer.ShouldMatch(image.Pixels, expected, image.Width, 1, maxAbs: 1, maxMean: 0.05, because: name);
    }

    [Theory]
    [InlineData("exif_6_le", 24, 16, JpegColorSpace.YCbCr, 6)]
    [InlineData("exif_8_be", 24, 16, JpegColorSpace.YCbCr, 8)]
    [InlineData("gray_48", 48, 48, JpegColorSpace.Gray, 1)]
    [InlineData("cmyk_adobe", 64, 48, JpegColorSpace.Cmyk, 1)]
    public void Reads_the_header(string name, int width, int height, JpegColorSpace colorSpace, int orientation)
    {
        JpegHeader header = JpegDecoder.ReadHeader(Jpeg(name), name);
        (header.Width, header.Height, header.ColorSpace, header.Orientation).Should().Be((width, height, colorSpace, orientation));
    }

    [Fact]
    public void Orientation_six_turns_a_quarter_clockwise()
    {
        RgbaImage image = JpegDecoder.Decode(Jpeg("exif_6_le"), "exif_6_le");
        (image.Width, image.Height).Should().Be((16, 24));
        // The red top-left quadrant of the stored image is now top-right.
        image.Row(0).Slice(15 * 4, 3).ToArray().Should().Satisfy(r => r > 200, g => g < 60, b => b < 60);
    }

    [Fact]
    public void Encodes_with_the_quality_asked_for()
    {
        RgbaImage photo = ImageCodecs.Decode(File.ReadAllBytes(RepositoryFiles.SamplePhoto()), "astronaut.png");

        byte[] fine = JpegEncoder.Encode(photo, 95);
        byte[] coarse = JpegEncoder.Encode(photo, 30);

        coarse.Length.Should().BeLessThan(fine.Length / 2);
        RgbaImage back = JpegDecoder.Decode(fine, "fine");
        var difference = TolerantImageComparer.Measure(back.Pixels, photo.Pixels);
        difference.MeanAbs.Should().BeLessThan(2.5);
        JpegDecoder.ReadHeader(fine, "fine").ColorSpace.Should().Be(JpegColorSpace.YCbCr);
    }

    [Fact]
    public void Gray_round_trips()
    {
        var gray = new GrayImage(48, 48);
        for (int i = 0; i < gray.Pixels.Length; i++)
        {
            gray.Pixels[i] = (byte)(i % 48 * 5);
        }

        byte[] jpeg = JpegEncoder.Encode(gray, 100);

        JpegDecoder.ReadHeader(jpeg, "g").ColorSpace.Should().Be(JpegColorSpace.Gray);
        TolerantImageComparer.ShouldMatch(JpegDecoder.DecodeGray(jpeg, "g"), gray, maxAbs: 2, maxMean: 0.5);
    }

    [Fact]
    public void Quality_out_of_range_is_a_user_error()
    {
        var act = () => JpegEncoder.Encode(new RgbaImage(8, 8), 101);
        act.Should().Throw<FacemojiException>().WithMessage("JPEG quality must be 1 to 100, got 101");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Truncated_files_are_refused(double keep)
    {
        byte[] jpeg = Jpeg("baseline_420");
        var act = () => JpegDecoder.Decode(jpeg.AsSpan(0, (int)(jpeg.Length * keep)), "cut.jpg");
        act.Should().Throw<ImageFormatException>().WithMessage("cut.jpg: *JPEG*");
    }

    [Fact]
    public void Garbage_after_the_signature_is_refused()
    {
        var act = () => JpegDecoder.Decode(new byte[] { 0xFF, 0xD8, 0xFF, 0x00, 1, 2, 3 }, "junk.jpg");
        act.Should().Throw<ImageFormatException>().WithMessage("junk.jpg: *corrupt JPEG*");
    }

    [Fact]
    public void A_failed_decode_does_not_spoil_the_next_one()
    {
        // TurboJPEG 2.1 leaves a handle mid-header after an error; a pooled handle reused then fails ("two SOI markers").
        byte[] good = Jpeg("gray_48");
        byte[] junk = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0xFF, 0xD9]; // SOS before SOF
        for (int i = 0; i < 10; i++)
        {
            ((Action)(() => JpegDecoder.Decode(junk, "junk"))).Should().Throw<ImageFormatException>();
            ((Action)(() => JpegDecoder.DecodeGray(good.AsSpan(0, good.Length / 2), "half"))).Should().Throw<ImageFormatException>();
            JpegDecoder.DecodeGray(good, "good").Width.Should().Be(48);
            JpegDecoder.Decode(good, "good").Width.Should().Be(48);
        }
    }

    [Theory]
    [InlineData(0xC1, 12, "*unsupported JPEG: 12-bit samples*")]
    [InlineData(0xC3, 8, "*unsupported JPEG: lossless JPEG (SOF3)*")]
    public void Unsupported_kinds_are_named(int sofMarker, int precision, string message)
    {
        byte[] jpeg = Jpeg("gray_48");
        int at = jpeg.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xC0]);
        jpeg[at + 1] = (byte)sofMarker;
        jpeg[at + 4] = (byte)precision;
        ((Action)(() => JpegDecoder.Decode(jpeg, "odd.jpg"))).Should().Throw<ImageFormatException>().WithMessage(message);
        ((Action)(() => JpegDecoder.ReadHeader(jpeg, "odd.jpg"))).Should().Throw<ImageFormatException>().WithMessage(message);
    }

    [Fact]
    public void A_missing_library_gives_the_install_hint()
    {
        var act = () => TurboJpeg.Load(["libturbojpeg-not-installed.so.9"]);
        act.Should().Throw<FacemojiException>()
            .WithMessage("JPEG support needs libjpeg-turbo: install Debian's libturbojpeg0 (apt-get install libturbojpeg0)");
    }

    [Theory]
    [InlineData(true, 255, 0, 255, 255, 255, 0, 255)] // inverted: C=255 means no cyan
    [InlineData(false, 0, 255, 0, 0, 255, 0, 255)]    // plain: M=255 is full magenta
    [InlineData(true, 200, 100, 50, 128, 100, 50, 25)]
    public void Cmyk_converts_by_the_marker_convention(bool inverted, int c, int m, int y, int k, int r, int g, int b)
    {
        byte[] pixel = [(byte)c, (byte)m, (byte)y, (byte)k];
        JpegDecoder.CmykToRgba(pixel, inverted);
        pixel.Should().Equal((byte)r, (byte)g, (byte)b, (byte)255);
    }

    [Fact]
    public void Malformed_exif_means_upright()
    {
        JpegMarkers.ReadOrientation("II*\0\xff\xff\xff\x7f"u8.ToArray()).Should().Be(1);
        JpegMarkers.ReadOrientation("XX*\0\x08\0\0\0"u8.ToArray()).Should().Be(1);
        JpegMarkers.ReadOrientation([]).Should().Be(1);
    }

    [Fact]
    public void Decoding_is_thread_safe()
    {
        byte[] jpeg = Jpeg("gray_48");
        byte[] expected = JpegDecoder.DecodeGray(jpeg, "g").Pixels;
        Parallel.For(0, 200, _ => JpegDecoder.DecodeGray(jpeg, "g").Pixels.Should().Equal(expected));
    }
}
