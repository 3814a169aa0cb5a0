using Facemoji.Imaging;
using Facemoji.Imaging.Processing;

namespace Facemoji.Pipeline.Tests;

/// <summary>The library on photos that arrive as WebP, GIF or BMP: the same face as in the PNG.</summary>
public class FaceAnalyzerFormatsTests
{
    [Theory]
    [InlineData("webp")]
    [InlineData("gif")]
    [InlineData("bmp")]
    public void Finds_the_astronauts_face_in_every_format(string format)
    {
        RgbaImage photo = ImageCodecs.Load(RepositoryFiles.SamplePhotoPath);
        byte[] bytes = format switch
        {
            "webp" => TestImageFiles.WebP(photo),
            "gif" => TestImageFiles.Gif(ColorConversion.ToGray(photo)),
            _ => TestImageFiles.Bmp(photo),
        };
        string path = Path.Combine(Path.GetTempPath(), $"facemoji-{Guid.NewGuid():N}.{format}");
        File.WriteAllBytes(path, bytes);
        try
        {
            var analyzer = FaceAnalyzer.Create(new AnalyzerOptions { ModelPath = UntrainedModel.Path });
            // The GIF holds the gray photo: BlazeFace (the default detector) sees colour, so its box is the gray photo's.
            var expected = analyzer.Analyze(format == "gif" ? ColorConversion.ToRgba(ColorConversion.ToGray(photo)) : photo).Single();

            var face = analyzer.Analyze(ImageCodecs.Load(path)).Should().ContainSingle().Subject;

            // BMP is lossless and the GIF keeps the gray exactly: the same box. WebP is lossy.
            int slack = format == "webp" ? 6 : 0;
            face.Box.X.Should().BeCloseTo(expected.Box.X, (uint)slack);
            face.Box.Y.Should().BeCloseTo(expected.Box.Y, (uint)slack);
            face.Box.Width.Should().BeCloseTo(expected.Box.Width, (uint)slack);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
