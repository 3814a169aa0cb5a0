using Facemoji.Imaging.Formats.Skia;
using Facemoji.Imaging.Processing;
using Facemoji.Imaging.Tests.Support;

namespace Facemoji.Imaging.Tests.Formats.Skia;

/// <summary>
/// The codecs behind <see cref="ImageCodecs"/> (SkiaSharp): the PNG and JPEG reference images (JPEG through Skia's
/// codec directly: ImageCodecs prefers the system's libjpeg-turbo, tested in JpegCodecTests), EXIF orientation,
/// the formats added with Skia (WebP, GIF, BMP), encoding, and clear errors for broken files of every format.
/// </summary>
public class SkiaCodecTests
{
    public static TheoryData<string> PngFixtures() => Names("png", "*.png");

    // cmyk_plain (ink amounts without Adobe's marker) is refused: Skia would invert it; see below.
    public static TheoryData<string> JpegRgbaFixtures() => Names("jpeg", "*.rgba", except: "cmyk_plain");

    public static TheoryData<string> JpegGrayFixtures() => Names("jpeg", "*.gray");

    private static TheoryData<string> Names(string folder, string pattern, string? except = null)
    {
        var names = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(TestFiles.Fixture(folder), pattern).Order())
        {
            if (Path.GetFileNameWithoutExtension(path) != except)
            {
                names.Add(Path.GetFileNameWithoutExtension(path));
            }
        }

        return names;
    }

    private static byte[] Fixture(string folder, string file) => File.ReadAllBytes(TestFiles.Fixture(folder, file));

    private static RgbaImage Photo() => ImageCodecs.Load(RepositoryFiles.SamplePhotoPath);

    /// <summary>A gradient with a red block in its top-left quadrant, to see where the corners went.</summary>
    private static RgbaImage Pattern(int width = 40, int height = 30)
    {
        var image = new RgbaImage(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                Span<byte> p = image.Row(y).Slice(x * 4, 4);
                bool red = x < width / 2 && y < height / 2;
                p[0] = red ? (byte)230 : (byte)(x * 5);
                p[1] = red ? (byte)20 : (byte)(y * 7);
                p[2] = red ? (byte)20 : (byte)128;
                p[3] = 255;
            }
        }

        return image;
    }

    [Theory]
    [MemberData(nameof(PngFixtures))]
    public void Png_reference_images_decode_exactly(string name)
    {
        byte[] expected = Fixture("png", name + ".rgba");

        RgbaImage image = ImageCodecs.Decode(Fixture("png", name + ".png"), name);

        (image.Width * image.Height * 4).Should().Be(expected.Length);
        if (name.Contains("16", StringComparison.Ordinal))
        {
            // 16-bit samples: the references keep the high byte (PIL), Skia rounds (v * 255 / 65535).
            TolerantImageComparer.ShouldMatch(image.Pixels, expected, image.Width, 4, maxAbs: 1, maxMean: 0.5, because: name);
        }
        else
        {
            image.Pixels.Should().Equal(expected);
        }
    }

    [Theory]
    [MemberData(nameof(PngFixtures))]
    public void Png_gray_is_the_bt601_luma_of_the_rgba(string name)
    {
        byte[] rgba = Fixture("png", name + ".rgba");

        GrayImage gray = ImageCodecs.DecodeGray(Fixture("png", name + ".png"), name);

        var expected = new byte[gray.Width * gray.Height];
        for (int i = 0; i < expected.Length; i++)
        {
            expected[i] = GrayWeights.Luma(rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2]);
        }

        if (name.Contains("16", StringComparison.Ordinal))
        {
            TolerantImageComparer.ShouldMatch(gray.Pixels, expected, gray.Width, 1, maxAbs: 1, maxMean: 0.5, because: name);
        }
        else
        {
            gray.Pixels.Should().Equal(expected);
        }
    }

    [Theory]
    [InlineData(0, 0, 154, 147, 151)]
    [InlineData(511, 511, 0, 0, 0)]
    [InlineData(200, 100, 81, 57, 17)]
    [InlineData(50, 300, 227, 116, 76)]
    public void Decodes_the_astronaut_sample_as_pil_does(int x, int y, int r, int g, int b)
    {
        // Spot values read with PIL: np.array(Image.open("astronaut.png"))[y, x].
        RgbaImage image = Photo();
        (image.Width, image.Height).Should().Be((512, 512));
        image.Row(y).Slice(x * 4, 4).ToArray().Should().Equal((byte)r, (byte)g, (byte)b, (byte)255);
    }

    [Fact]
    public void A_flipped_bit_in_a_png_is_refused_naming_the_source()
    {
        byte[] png = Fixture("png", "rgb8.png");
        png[40] ^= 0x10; // inside the first chunk after IHDR: libpng checks the CRC
        var act = () => ImageCodecs.Decode(png, "broken.png");
        act.Should().Throw<ImageFormatException>().WithMessage("broken.png: *PNG*");
    }

    [Theory]
    [InlineData(100_000, 100_000, "*absurd*")]
    [InlineData(20_000, 20_000, "*over the limit of 100 megapixels*")]
    [InlineData(9000, 9000, "*corrupt PNG: * cannot hold a 9000x9000 image")]
    public void Oversized_png_headers_are_refused_before_allocating(int width, int height, string message)
    {
        byte[] png = PngBytes.HeaderOnly(width, height);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var act = () => ImageCodecs.Decode(png, "huge.png");
        act.Should().Throw<ImageFormatException>().WithMessage(message);
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20);
    }

    [Theory]
    [MemberData(nameof(JpegRgbaFixtures))]
    public void Jpeg_reference_images_decode_upright_as_pil_does(string name)
    {
        byte[] expected = Fixture("jpeg", name + ".rgba");

        RgbaImage image = SkiaCodec.Decode(Fixture("jpeg", name + ".jpg"), ImageFileFormat.Jpeg, name);

        // PIL links libjpeg-turbo as Skia does; only the CMYK conversion rounds on its own.
        TolerantImageComparer.ShouldMatch(image.Pixels, expected, image.Width, 4, maxAbs: 1, maxMean: 0.05, because: name);
    }

    [Theory]
    [MemberData(nameof(JpegGrayFixtures))]
    public void Jpeg_reference_images_decode_to_gray(string name)
    {
        byte[] expected = Fixture("jpeg", name + ".gray");

        GrayImage image = SkiaCodec.DecodeGray(Fixture("jpeg", name + ".jpg"), ImageFileFormat.Jpeg, name);

        // The references are libjpeg's own luma (its Y channel). Gray files (FER2013's) still decode straight to
        // it; colour files now go through upsampled RGB and BT.601, a few values off at sharp colour edges.
        TolerantImageComparer.ShouldMatch(image.Pixels, expected, image.Width, 1, maxAbs: 8, maxMean: 0.1, because: name);
    }

    [Fact]
    public void Gray_jpegs_decode_to_libjpegs_luma_exactly()
    {
        GrayImage image = SkiaCodec.DecodeGray(Fixture("jpeg", "gray_48.jpg"), ImageFileFormat.Jpeg, "gray_48");
        image.Pixels.Should().Equal(Fixture("jpeg", "gray_48.gray"));
    }

    [Fact]
    public void Cmyk_without_the_adobe_marker_is_refused_with_a_reason()
    {
        var act = () => SkiaCodec.Decode(Fixture("jpeg", "cmyk_plain.jpg"), ImageFileFormat.Jpeg, "plain.jpg");
        act.Should().Throw<ImageFormatException>().WithMessage("plain.jpg: unsupported JPEG: CMYK without Adobe's APP14 marker*");
    }

    [Fact]
    public void Orientation_six_turns_a_quarter_clockwise_in_rgba_gray_and_size()
    {
        byte[] jpeg = Fixture("jpeg", "exif_6_le.jpg");
        RgbaImage image = SkiaCodec.Decode(jpeg, ImageFileFormat.Jpeg, "exif_6_le");
        (image.Width, image.Height).Should().Be((16, 24));
        // The red top-left quadrant of the stored image is now top-right.
        image.Row(0).Slice(15 * 4, 3).ToArray().Should().Satisfy(r => r > 200, g => g < 60, b => b < 60);
        GrayImage gray = SkiaCodec.DecodeGray(jpeg, ImageFileFormat.Jpeg, "exif_6_le");
        (gray.Width, gray.Height).Should().Be((16, 24));
        SkiaCodec.ReadSize(jpeg, ImageFileFormat.Jpeg, "exif_6_le").Should().Be((16, 24));
        ImageCodecs.ReadSize(jpeg, "exif_6_le").Should().Be((16, 24));
    }

    [Fact]
    public void Bmp_decodes_exactly()
    {
        RgbaImage image = Pattern();

        byte[] bmp = TestImageFiles.Bmp(image);

        ImageCodecs.DetectFormat(bmp).Should().Be(ImageFileFormat.Bmp);
        ImageCodecs.ReadSize(bmp, "p.bmp").Should().Be((40, 30));
        ImageCodecs.Decode(bmp, "p.bmp").Pixels.Should().Equal(image.Pixels);
        ImageCodecs.DecodeGray(bmp, "p.bmp").Pixels.Should().Equal(ColorConversion.ToGray(image).Pixels);
    }

    [Fact]
    public void Gif_decodes_the_first_frame_exactly()
    {
        GrayImage first = ColorConversion.ToGray(Pattern());
        var second = new GrayImage(first.Width, first.Height);
        Array.Fill(second.Pixels, (byte)77);

        byte[] gif = TestImageFiles.Gif(first, second);

        ImageCodecs.DetectFormat(gif).Should().Be(ImageFileFormat.Gif);
        ImageCodecs.ReadSize(gif, "a.gif").Should().Be((40, 30));
        ImageCodecs.DecodeGray(gif, "a.gif").Pixels.Should().Equal(first.Pixels);
        ImageCodecs.Decode(gif, "a.gif").Pixels.Should().Equal(ColorConversion.ToRgba(first).Pixels);
    }

    [Fact]
    public void Webp_round_trips_closely()
    {
        RgbaImage photo = Photo();

        byte[] webp = ImageCodecs.Encode(photo, ImageFileFormat.WebP, 95);

        ImageCodecs.DetectFormat(webp).Should().Be(ImageFileFormat.WebP);
        webp.Length.Should().BeLessThan(photo.Pixels.Length / 8, "lossy WebP compresses a photo");
        ImageCodecs.ReadSize(webp, "p.webp").Should().Be((512, 512));
        RgbaImage back = ImageCodecs.Decode(webp, "p.webp");
        TolerantImageComparer.Measure(back.Pixels, photo.Pixels).MeanAbs.Should().BeLessThan(3);
        GrayImage gray = ImageCodecs.DecodeGray(webp, "p.webp");
        TolerantImageComparer.ShouldMatch(gray, ColorConversion.ToGray(back), maxAbs: 0, maxMean: 0);
    }

    [Fact]
    public void Skias_jpeg_encoder_uses_the_quality_asked_for()
    {
        RgbaImage photo = Photo();

        byte[] fine = SkiaCodec.Encode(photo, ImageFileFormat.Jpeg, 95);
        byte[] coarse = SkiaCodec.Encode(photo, ImageFileFormat.Jpeg, 30);

        coarse.Length.Should().BeLessThan(fine.Length / 2);
        TolerantImageComparer.Measure(SkiaCodec.Decode(fine, ImageFileFormat.Jpeg, "fine").Pixels, photo.Pixels).MeanAbs.Should().BeLessThan(2.5);
        TolerantImageComparer.Measure(ImageCodecs.Decode(fine, "fine").Pixels, photo.Pixels).MeanAbs.Should().BeLessThan(2.5, "libjpeg-turbo reads Skia's files");
    }

    [Fact]
    public void Gray_images_are_written_gray()
    {
        var gray = new GrayImage(48, 48);
        for (int i = 0; i < gray.Pixels.Length; i++)
        {
            gray.Pixels[i] = (byte)(i % 48 * 5);
        }

        byte[] png = ImageCodecs.Encode(gray, ImageFileFormat.Png);
        png[25].Should().Be(0, "IHDR colour type 0: gray");
        ImageCodecs.DecodeGray(png, "g.png").Pixels.Should().Equal(gray.Pixels);

        byte[] jpeg = SkiaCodec.Encode(gray, ImageFileFormat.Jpeg, 100);
        TolerantImageComparer.ShouldMatch(SkiaCodec.DecodeGray(jpeg, ImageFileFormat.Jpeg, "g.jpg"), gray, maxAbs: 2, maxMean: 0.5);
        TolerantImageComparer.ShouldMatch(ImageCodecs.DecodeGray(ImageCodecs.Encode(gray, ImageFileFormat.WebP, 100), "g.webp"), gray, maxAbs: 12, maxMean: 2);
    }

    [Fact]
    public void Opaque_png_is_written_without_alpha_and_translucent_with_it()
    {
        RgbaImage image = Pattern();
        ImageCodecs.Encode(image, ImageFileFormat.Png)[25].Should().Be(2, "IHDR colour type 2: RGB");
        image.Pixels[3] = 128;
        byte[] png = ImageCodecs.Encode(image, ImageFileFormat.Png);
        png[25].Should().Be(6, "IHDR colour type 6: RGBA");
        ImageCodecs.Decode(png, "t.png").Pixels.Should().Equal(image.Pixels, "straight alpha survives");
    }

    [Fact]
    public void Quality_out_of_range_is_a_user_error()
    {
        var act = () => ImageCodecs.Encode(new RgbaImage(8, 8), ImageFileFormat.Jpeg, 101);
        act.Should().Throw<FacemojiException>().WithMessage("JPEG quality must be 1 to 100, got 101");
    }

    public static TheoryData<string> FormatNames() => ["png", "jpeg", "webp", "gif", "bmp"];

    private static byte[] Sample(string format) => format switch
    {
        "png" => ImageCodecs.Encode(Pattern(64, 48), ImageFileFormat.Png),
        "jpeg" => ImageCodecs.Encode(Pattern(64, 48), ImageFileFormat.Jpeg),
        "webp" => TestImageFiles.WebP(Pattern(64, 48)),
        "gif" => TestImageFiles.Gif(ColorConversion.ToGray(Pattern(64, 48))),
        _ => TestImageFiles.Bmp(Pattern(64, 48)),
    };

    [Theory]
    [MemberData(nameof(FormatNames))]
    public void Truncated_files_of_every_format_are_refused_naming_the_file(string format)
    {
        byte[] data = Sample(format);
        foreach (double keep in new[] { 0.02, 0.3, 0.7, 0.95 })
        {
            byte[] cut = data[..Math.Max(16, (int)(data.Length * keep))];
            ((Action)(() => ImageCodecs.Decode(cut, "cut.file"))).Should().Throw<ImageFormatException>()
                .WithMessage("cut.file: *", $"{format} cut to {keep:P0}").Which.Problem.Should().NotBeEmpty();
            ((Action)(() => ImageCodecs.DecodeGray(cut, "cut.file"))).Should().Throw<ImageFormatException>();
            ((Action)(() => SkiaCodec.DecodeGray(cut, ImageCodecs.DetectFormat(cut), "cut.file"))).Should().Throw<ImageFormatException>();
        }
    }

    [Fact]
    public void Garbage_after_a_signature_is_refused()
    {
        ((Action)(() => SkiaCodec.Decode(new byte[] { 0xFF, 0xD8, 0xFF, 0x00, 1, 2, 3 }, ImageFileFormat.Jpeg, "junk.jpg"))).Should().Throw<ImageFormatException>().WithMessage("junk.jpg: *JPEG*");
        ((Action)(() => ImageCodecs.Decode("GIF89a\x01\0\x01\0\0\0\0;"u8, "junk.gif"))).Should().Throw<ImageFormatException>().WithMessage("junk.gif: *GIF*");
        ((Action)(() => ImageCodecs.Decode("RIFF\x20\0\0\0WEBPVP8 \x10\0\0\0garbagegarbage!!"u8, "junk.webp"))).Should().Throw<ImageFormatException>().WithMessage("junk.webp: *WebP*");
        ((Action)(() => ImageCodecs.Decode("BM\x3a\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0"u8, "junk.bmp"))).Should().Throw<ImageFormatException>().WithMessage("junk.bmp: *BMP*");
    }

    [Fact]
    public void A_jpeg_size_the_data_cannot_hold_is_refused_before_allocating()
    {
        byte[] jpeg = Fuzzing.DecoderFuzzTestsHelpers.JpegClaiming(Fixture("jpeg", "baseline_420.jpg"), 5000, 5000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var act = () => SkiaCodec.Decode(jpeg, ImageFileFormat.Jpeg, "liar.jpg");
        act.Should().Throw<ImageFormatException>().WithMessage("liar.jpg: truncated or corrupt JPEG: * cannot hold a 5000x5000 image");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20);
    }

    [Fact]
    public void Decoding_is_thread_safe()
    {
        byte[] jpeg = Fixture("jpeg", "gray_48.jpg");
        byte[] png = Fixture("png", "rgba8.png");
        byte[] expectedGray = SkiaCodec.DecodeGray(jpeg, ImageFileFormat.Jpeg, "g").Pixels;
        byte[] expectedRgba = ImageCodecs.Decode(png, "p").Pixels;
        Parallel.For(0, 200, i =>
        {
            SkiaCodec.DecodeGray(jpeg, ImageFileFormat.Jpeg, "g").Pixels.Should().Equal(expectedGray);
            ImageCodecs.Decode(png, "p").Pixels.Should().Equal(expectedRgba);
        });
    }
}
