using System.Text.Json;
using Facemoji.Cli.Tests.Training;
using Facemoji.Imaging;
using Facemoji.Imaging.Processing;

namespace Facemoji.Cli.Tests.Commands;

/// <summary>`facemoji image` on the sample photo saved as WebP, GIF and BMP: the face is found as in the PNG.</summary>
// End-to-end runs of the facemoji process; the codecs themselves are tested fast in Facemoji.Imaging.Tests.
[Trait("Category", "Slow")]
public sealed class ImageFormatsTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "facemoji-formats-" + Guid.NewGuid().ToString("N"));

    public ImageFormatsTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string Astronaut()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Facemoji.sln")))
            {
                return Path.Combine(dir.FullName, "third_party", "skimage", "astronaut.png");
            }
        }

        throw new InvalidOperationException("No Facemoji.sln above the tests.");
    }

    [Theory]
    [InlineData("webp")]
    [InlineData("gif")]
    [InlineData("bmp")]
    public void Image_analyses_webp_gif_and_bmp_photos_and_writes_the_copy(string format)
    {
        RgbaImage photo = ImageCodecs.Load(Astronaut());
        byte[] bytes = format switch
        {
            "webp" => TestImageFiles.WebP(photo),
            "gif" => TestImageFiles.Gif(ColorConversion.ToGray(photo)),
            _ => TestImageFiles.Bmp(photo),
        };
        string input = Path.Combine(folder, "astronaut." + format);
        File.WriteAllBytes(input, bytes);
        string copies = Path.Combine(folder, "out");
        Directory.CreateDirectory(copies);

        var run = CliRun.Run(folder, null, "image", input, "--json", "-o", copies);

        run.ExitCode.Should().Be(0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout.Trim().Split('\n')[0]);
        json.RootElement.GetProperty("width").GetInt32().Should().Be(512);
        JsonElement face = json.RootElement.GetProperty("faces").EnumerateArray().Should().ContainSingle().Subject;
        face.GetProperty("box")[0].GetInt32().Should().BeInRange(140, 200);
        string copy = Directory.GetFiles(copies).Should().ContainSingle().Subject;
        Path.GetExtension(copy).Should().Be(format == "webp" ? ".webp" : ".png");
        ImageCodecs.Load(copy).Width.Should().Be(512);
    }

    [Fact]
    public void A_folder_contributes_its_webp_gif_and_bmp_files()
    {
        RgbaImage small = new(32, 24);
        File.WriteAllBytes(Path.Combine(folder, "a.webp"), TestImageFiles.WebP(small));
        File.WriteAllBytes(Path.Combine(folder, "b.gif"), TestImageFiles.Gif(new GrayImage(32, 24)));
        File.WriteAllBytes(Path.Combine(folder, "c.bmp"), TestImageFiles.Bmp(small));

        var run = CliRun.Run(folder, null, "image", folder, "--json", "--no-images");

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().Contain("a.webp").And.Contain("b.gif").And.Contain("c.bmp");
    }
}
