using Facemoji.Pipeline.Annotation;

namespace Facemoji.Pipeline.Tests.Annotation;

public class ImageInputsTests
{
    [Fact]
    public void An_output_name_never_takes_the_name_of_an_input()
    {
        // Issue 14: `image DIR -o DIR` overwrote a user's X.facemoji.png with the annotation of X.png.
        string folder = Path.Combine(Path.GetTempPath(), "facemoji-inputs");
        string[] inputs = [Path.Combine(folder, "X.facemoji.png"), Path.Combine(folder, "X.png")];

        var outputs = ImageInputs.OutputPaths(inputs, folder);

        outputs.Should().OnlyHaveUniqueItems();
        outputs.Select(Path.GetFullPath).Should().NotIntersectWith(inputs.Select(Path.GetFullPath));
        outputs[1].Should().Be(Path.Combine(folder, "X-2.facemoji.png"));
    }

    [Fact]
    public void Outputs_in_another_folder_keep_their_plain_names()
    {
        var outputs = ImageInputs.OutputPaths(["/photos/a.png", "/photos/b.jpg"], "/out");
        outputs.Should().Equal("/out/a.facemoji.png", "/out/b.facemoji.jpg");
    }
}
