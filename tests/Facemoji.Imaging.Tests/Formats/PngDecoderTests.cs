using System.Buffers.Binary;
using Facemoji.Imaging.Formats.Png;
using Facemoji.Imaging.Processing;
using Facemoji.Imaging.Tests.Support;

namespace Facemoji.Imaging.Tests.Formats;

public class PngDecoderTests
{
    public static TheoryData<string> FixtureNames()
    {
        var names = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(TestFiles.Fixture("png"), "*.png").Order())
        {
            names.Add(Path.GetFileNameWithoutExtension(path));
        }

        return names;
    }

    [Fact]
    public void Every_colour_type_and_depth_has_a_fixture()
    {
        var names = Directory.GetFiles(TestFiles.Fixture("png"), "*.png").Select(Path.GetFileNameWithoutExtension).ToHashSet();
        string[] required =
        [
            "gray1", "gray2", "gray4", "gray8", "gray16", "rgb8", "rgb16", "palette1", "palette2", "palette4", "palette8",
            "grayalpha8", "grayalpha16", "rgba8", "rgba16",
        ];
        foreach (string name in required)
        {
            names.Should().Contain(name).And.Contain(name + "_adam7");
        }

        names.Should().Contain(["gray2_trns", "gray16_trns", "rgb8_trns", "rgb16_trns", "palette4_trns", "rgb8_split_idat"]);
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Decodes_to_the_expected_rgba(string name)
    {
        byte[] png = File.ReadAllBytes(TestFiles.Fixture("png", name + ".png"));
        byte[] expected = File.ReadAllBytes(TestFiles.Fixture("png", name + ".rgba"));

        RgbaImage image = PngDecoder.Decode(png, name);

        (image.Width * image.Height * 4).Should().Be(expected.Length);
        image.Pixels.Should().Equal(expected);
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Gray_fast_path_equals_rgba_then_bt601(string name)
    {
        byte[] png = File.ReadAllBytes(TestFiles.Fixture("png", name + ".png"));
        byte[] expectedRgba = File.ReadAllBytes(TestFiles.Fixture("png", name + ".rgba"));

        GrayImage gray = PngDecoder.DecodeGray(png, name);

        var expected = new byte[gray.Width * gray.Height];
        for (int i = 0; i < expected.Length; i++)
        {
            expected[i] = GrayWeights.Luma(expectedRgba[i * 4], expectedRgba[i * 4 + 1], expectedRgba[i * 4 + 2]);
        }

        gray.Pixels.Should().Equal(expected);
    }

    [Fact]
    public void Reads_the_header_without_decoding()
    {
        byte[] png = File.ReadAllBytes(TestFiles.Fixture("png", "rgb16_adam7.png"));
        PngDecoder.ReadHeader(png, "x").Should().Be(new PngHeader(13, 9, 16, PngColorType.Rgb, true));
    }

    [Theory]
    [InlineData(0, 0, 154, 147, 151)]
    [InlineData(511, 511, 0, 0, 0)]
    [InlineData(200, 100, 81, 57, 17)]
    [InlineData(50, 300, 227, 116, 76)]
    public void Decodes_the_astronaut_sample(int x, int y, int r, int g, int b)
    {
        // Spot values read with PIL: np.array(Image.open("astronaut.png"))[y, x].
        RgbaImage image = PngDecoder.Decode(File.ReadAllBytes(RepositoryFiles.SamplePhoto()), "astronaut.png");
        image.Width.Should().Be(512);
        image.Height.Should().Be(512);
        image.Row(y).Slice(x * 4, 4).ToArray().Should().Equal((byte)r, (byte)g, (byte)b, (byte)255);
    }

    [Fact]
    public void Crc_of_the_check_string_is_the_standard_value()
    {
        Crc32.Compute("123456789"u8).Should().Be(0xCBF43926u);
    }

    [Fact]
    public void A_flipped_bit_fails_the_crc_and_names_the_source()
    {
        byte[] png = File.ReadAllBytes(TestFiles.Fixture("png", "rgb8.png"));
        png[40] ^= 0x10; // inside the first chunk after IHDR
        var act = () => PngDecoder.Decode(png, "broken.png");
        act.Should().Throw<ImageFormatException>().WithMessage("broken.png: corrupt PNG: CRC mismatch*");
    }

    [Fact]
    public void A_truncated_file_is_refused()
    {
        byte[] png = File.ReadAllBytes(TestFiles.Fixture("png", "rgb8.png"));
        var act = () => PngDecoder.Decode(png.AsSpan(0, png.Length - 30), "cut.png");
        act.Should().Throw<ImageFormatException>().WithMessage("cut.png: truncated PNG*");
    }

    [Fact]
    public void Not_a_png_is_refused()
    {
        var act = () => PngDecoder.Decode("GIF89a........"u8, "anim.gif");
        act.Should().Throw<ImageFormatException>().WithMessage("anim.gif: not a PNG file*");
    }

    [Theory]
    [InlineData(100_000, 100_000, "*absurd*")]
    [InlineData(20_000, 20_000, "*over the limit of 100 megapixels*")]
    [InlineData(0, 5, "*invalid image size*")]
    public void Oversized_headers_are_refused_before_allocating(int width, int height, string message)
    {
        byte[] png = HeaderOnlyPng(width, height);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var act = () => PngDecoder.Decode(png, "huge.png");
        act.Should().Throw<ImageFormatException>().WithMessage(message);
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20);
    }

    [Fact]
    public void A_size_the_data_cannot_hold_is_refused_before_allocating()
    {
        byte[] png = HeaderOnlyPng(9000, 9000); // 81 MP allowed, but a few bytes of IDAT cannot inflate to 243 MB
        long before = GC.GetAllocatedBytesForCurrentThread();
        var act = () => PngDecoder.Decode(png, "liar.png");
        act.Should().Throw<ImageFormatException>().WithMessage("liar.png: corrupt PNG: * cannot hold a 9000x9000 image");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20);
    }

    /// <summary>A PNG with a valid IHDR for the given size, and a tiny (valid zlib) IDAT.</summary>
    internal static byte[] HeaderOnlyPng(int width, int height)
    {
        var output = new MemoryStream();
        output.Write(PngHeader.Signature);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        WriteChunk(output, "IHDR", ihdr);
        WriteChunk(output, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    internal static void WriteChunk(Stream output, string type, byte[] data)
    {
        var word = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        output.Write(word);
        byte[] typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Compute([.. typeBytes, .. data]));
        output.Write(word);
    }
}
