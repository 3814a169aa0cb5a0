using Facemoji.Imaging.Tests.Support;

namespace Facemoji.Imaging.Tests;

public sealed class ImageCodecsTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "facemoji-imaging-" + Guid.NewGuid().ToString("N"));

    public ImageCodecsTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static RgbaImage Sample()
    {
        var image = new RgbaImage(40, 30);
        for (int y = 0; y < 30; y++)
        {
            for (int x = 0; x < 40; x++)
            {
                image.Row(y)[x * 4] = (byte)(x * 6);
                image.Row(y)[x * 4 + 1] = (byte)(y * 8);
                image.Row(y)[x * 4 + 2] = 128;
                image.Row(y)[x * 4 + 3] = 255;
            }
        }

        return image;
    }

    [Fact]
    public void Loads_png_and_jpeg_by_content_whatever_the_extension()
    {
        string misnamed = Path.Combine(folder, "really-a-png.jpg");
        File.Copy(TestFiles.Fixture("png", "rgb8.png"), misnamed);
        ImageCodecs.Load(misnamed).Pixels.Should().Equal(File.ReadAllBytes(TestFiles.Fixture("png", "rgb8.rgba")));

        string jpeg = Path.Combine(folder, "photo.png");
        File.Copy(TestFiles.Fixture("jpeg", "gray_48.jpg"), jpeg);
        ImageCodecs.LoadGray(jpeg).Width.Should().Be(48);
        ImageCodecs.DetectFormat(File.ReadAllBytes(jpeg)).Should().Be(ImageFileFormat.Jpeg);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 1, 0, 1, 0, 16, 16 }, "ICO")]
    [InlineData(new byte[] { 0x49, 0x49, 0x2A, 0, 8, 0, 0, 0 }, "TIFF")]
    [InlineData(new byte[] { 0x4D, 0x4D, 0, 0x2A, 0, 0, 0, 8 }, "TIFF")]
    [InlineData(new byte[] { 0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63 }, "HEIF")]
    [InlineData(new byte[] { 0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6F, 0x6D }, "video")]
    public void Other_formats_are_named_in_the_error(byte[] head, string name)
    {
        string path = Path.Combine(folder, "picture.png");
        File.WriteAllBytes(path, [.. head, .. new byte[64]]);
        var act = () => ImageCodecs.Load(path);
        act.Should().Throw<ImageFormatException>().WithMessage($"{path}: unsupported format: this looks like *{name}*");
    }

    [Theory]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0 }, "GIF")]
    [InlineData(new byte[] { 0x42, 0x4D, 0x3A, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 0x28 }, "BMP")]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 0x24, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50 }, "WebP")]
    public void Broken_files_of_the_added_formats_are_named_in_the_error(byte[] head, string name)
    {
        string path = Path.Combine(folder, "picture.png");
        File.WriteAllBytes(path, [.. head, .. new byte[64]]);
        var act = () => ImageCodecs.Load(path);
        act.Should().Throw<ImageFormatException>().WithMessage($"{path}: *{name}*");
    }

    [Fact]
    public void Errors_carry_the_source_and_the_problem_apart()
    {
        var error = Assert.Throws<ImageFormatException>(() => ImageCodecs.Decode(Crafted.Huge, "big.png"));
        error.SourceName.Should().Be("big.png");
        error.Problem.Should().Contain("absurd");
        error.Message.Should().Be("big.png: " + error.Problem);
        error.Should().BeAssignableTo<FacemojiException>();
    }

    private static class Crafted
    {
        public static readonly byte[] Huge = PngBytes.HeaderOnly(100_000, 10);
    }

    [Fact]
    public void Unknown_bytes_are_shown_in_hex()
    {
        var act = () => ImageCodecs.Decode("hello world"u8, "notes.txt");
        act.Should().Throw<ImageFormatException>().WithMessage("notes.txt: unsupported format: not a PNG, JPEG, WebP, GIF or BMP image (it starts with bytes 68 65 6C 6C 6F 20 77 6F)");
    }

    [Fact]
    public void Missing_empty_and_folder_inputs_are_user_errors()
    {
        string missing = Path.Combine(folder, "nope.png");
        ((Action)(() => ImageCodecs.Load(missing))).Should().Throw<FacemojiException>().WithMessage($"{missing}: file not found");
        string empty = Path.Combine(folder, "empty.png");
        File.WriteAllBytes(empty, []);
        ((Action)(() => ImageCodecs.Load(empty))).Should().Throw<ImageFormatException>().WithMessage($"{empty}: the file is empty");
        ((Action)(() => ImageCodecs.LoadGray(folder))).Should().Throw<FacemojiException>().WithMessage("*is a folder*");
    }

    [Fact(Timeout = 10_000)]
    public async Task Dev_zero_is_refused_before_it_is_read()
    {
        await Task.Run(() => ((Action)(() => ImageCodecs.Load("/dev/zero"))).Should().Throw<ImageFormatException>()
            .WithMessage("/dev/zero: the file is not a regular file (a FIFO, device or socket)"));
    }

    [Theory]
    [InlineData("out.png", 0)]
    [InlineData("out.JPG", 6)]
    [InlineData("out.jpeg", 6)]
    [InlineData("out.webp", 12)]
    public void Saves_by_extension_and_loads_back(string name, int tolerance)
    {
        RgbaImage image = Sample();
        string path = Path.Combine(folder, name);

        ImageCodecs.Save(image, path, quality: 95);

        RgbaImage back = ImageCodecs.Load(path);
        TolerantImageComparer.ShouldMatch(back, image, maxAbs: tolerance, maxMean: tolerance == 0 ? 0 : 2.5);
        Directory.GetFiles(folder).Should().ContainSingle("no temporary file may be left behind");
    }

    [Fact]
    public void Saving_over_a_device_is_refused()
    {
        string link = Path.Combine(folder, "null.png");
        File.CreateSymbolicLink(link, "/dev/null");

        ((Action)(() => ImageCodecs.Save(new GrayImage(2, 2, [1, 2, 3, 4]), link))).Should().Throw<FacemojiException>()
            .WithMessage($"{link}: is not a regular file (a FIFO, device or socket)*");
        new FileInfo(link).LinkTarget.Should().Be("/dev/null");
    }

    [Fact]
    public void Saves_gray_images()
    {
        var gray = new GrayImage(5, 3, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140]);
        string path = Path.Combine(folder, "g.png");
        ImageCodecs.Save(gray, path);
        File.ReadAllBytes(path)[25].Should().Be(0, "IHDR colour type 0: gray");
        ImageCodecs.LoadGray(path).Pixels.Should().Equal(gray.Pixels);
    }

    [Theory]
    [InlineData("out.bmp", "'.bmp'")]
    [InlineData("out", "'(no extension)'")]
    public void Other_extensions_are_refused_before_writing(string name, string shown)
    {
        string path = Path.Combine(folder, name);
        var act = () => ImageCodecs.Save(Sample(), path);
        act.Should().Throw<FacemojiException>().WithMessage($"{path}: cannot save an image as {shown}: use a .png, .jpg, .jpeg or .webp file name");
        Directory.GetFiles(folder).Should().BeEmpty();
    }

    [Fact]
    public void A_failed_write_leaves_the_old_file_and_no_temporary()
    {
        string missingFolder = Path.Combine(folder, "absent", "x.png");
        ((Action)(() => ImageCodecs.Save(Sample(), missingFolder))).Should().Throw<FacemojiException>().WithMessage("*folder*does not exist*");

        string target = Path.Combine(folder, "taken.png");
        Directory.CreateDirectory(target); // a folder where the file should go: refused before anything is written
        ((Action)(() => ImageCodecs.Save(Sample(), target))).Should().Throw<FacemojiException>().WithMessage($"{target}: is a folder, not a file");
        Directory.GetFiles(folder).Should().BeEmpty();

        // A name of 244 bytes is allowed, but its temporary file's name (dot, process id, GUID) is over the 255 a name
        // may have: the write itself fails, and the catch must name the target and remove what it made.
        string longName = Path.Combine(folder, new string('a', 240) + ".png");
        ((Action)(() => ImageCodecs.Save(Sample(), longName))).Should().Throw<FacemojiException>().WithMessage($"{longName}: cannot write the image*");
        Directory.GetFiles(folder).Should().BeEmpty();
    }
}
