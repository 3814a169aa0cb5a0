using System.Text.Json;
using Facemoji.Emoji;
using Facemoji.Emoji.Display;
using Facemoji.Imaging;
using Facemoji.Pipeline.Annotation;

namespace Facemoji.Pipeline.Tests.Annotation;

/// <summary>
/// <c>facemoji image</c>'s rules, in the library: every input gets a result in order, a failed input names the file
/// and does not stop the others, the exit code is 1 if any input failed, and only photos with a face get a copy.
/// </summary>
public sealed class ImageRunTests : IDisposable
{
    private static readonly Lazy<ImageAnnotator> Annotator = new(() =>
        new ImageAnnotator(FaceAnalyzer.Create(new AnalyzerOptions { ModelPath = UntrainedModel.Path }), EmojiPacks.Resolve("facemoji"), DisplayMode.Cover));

    private readonly string folder = Path.Combine(Path.GetTempPath(), $"facemoji-image-run-{Guid.NewGuid():N}");

    public ImageRunTests()
    {
        Directory.CreateDirectory(folder);
        ImageCodecs.Save(new RgbaImage(64, 48), Path.Combine(folder, "blank.png"));
        File.WriteAllText(Path.Combine(folder, "broken.png"), "not a png");
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_failed_input_is_reported_the_others_still_run_and_the_exit_code_is_1()
    {
        string[] files = [Path.Combine(folder, "missing.png"), Path.Combine(folder, "broken.png"), RepositoryFiles.SamplePhotoPath, Path.Combine(folder, "blank.png")];
        var seen = new List<string>();

        var report = ImageRun.Run(files, Path.Combine(folder, "out"), Annotator.Value, r => seen.Add(r.File));

        seen.Should().Equal(files, "each result is handed on as it is done, in order");
        report.Results.Select(r => r.Failed).Should().Equal(true, true, false, false);
        report.Results[0].Error.Should().Contain("missing.png");
        report.Results[1].Error.Should().Contain("broken.png");
        report.Failed.Should().Be(2);
        report.ExitCode.Should().Be(1);
        JsonDocument.Parse(report.Results[1].Json).RootElement.GetProperty("error").GetString().Should().Contain("broken.png");
        JsonDocument.Parse(report.Results[2].Json).RootElement.GetProperty("faces").GetArrayLength().Should().BeGreaterThan(0);
    }

    [Fact]
    public void Only_photos_with_a_face_get_a_copy_and_all_good_inputs_exit_0()
    {
        string output = Path.Combine(folder, "out");
        var report = ImageRun.Run([RepositoryFiles.SamplePhotoPath, Path.Combine(folder, "blank.png")], output, Annotator.Value);

        report.ExitCode.Should().Be(0);
        report.Results[0].Written.Should().Be(Path.Combine(output, "astronaut.facemoji.png"));
        File.Exists(report.Results[0].Written).Should().BeTrue();
        report.Results[1].Faces.Should().BeEmpty();
        report.Results[1].Written.Should().BeNull("a photo without a face would only repeat the input");
        Directory.GetFiles(output).Should().HaveCount(1);
    }

    [Fact]
    public void Without_an_output_folder_nothing_is_written()
    {
        var report = ImageRun.Run([RepositoryFiles.SamplePhotoPath], null, Annotator.Value);

        report.Results.Single().Written.Should().BeNull();
        report.ExitCode.Should().Be(0);
        Directory.GetFileSystemEntries(folder).Should().HaveCount(2, "only the two inputs this test made");
    }
}
