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

    [Fact(Timeout = 20_000)]
    public async Task Recursion_takes_linked_files_but_does_not_follow_linked_folders()
    {
        // A link to a parent folder made --recursive read one photo 2,441 times, until the path length gave out.
        string root = Directory.CreateTempSubdirectory("facemoji-scan-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "photos", "sub"));
            File.WriteAllBytes(Path.Combine(root, "photos", "a.png"), []);
            File.WriteAllBytes(Path.Combine(root, "photos", "sub", "b.jpg"), []);
            File.WriteAllBytes(Path.Combine(root, "elsewhere.png"), []);
            File.CreateSymbolicLink(Path.Combine(root, "photos", "linked.png"), Path.Combine(root, "elsewhere.png"));
            Directory.CreateSymbolicLink(Path.Combine(root, "photos", "loop"), root);
            string photos = Path.Combine(root, "photos");

            var scan = await Task.Run(() => ImageInputs.Scan([photos], recursive: true));

            scan.Files.Should().Equal(Path.Combine(photos, "a.png"), Path.Combine(photos, "linked.png"), Path.Combine(photos, "sub", "b.jpg"));
            scan.SkippedLinkedFolders.Should().Be(1);
            scan.DescribeSkipped().Should().Be("skipped 1 linked folder (links to folders are not followed; name the folder itself)");
            var top = ImageInputs.Scan([photos], recursive: false);
            top.Files.Should().Equal(Path.Combine(photos, "a.png"), Path.Combine(photos, "linked.png"));
            top.SkippedFolders.Should().Be(2, "sub/ and the linked loop/ are not entered");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Outputs_in_another_folder_keep_their_plain_names()
    {
        var outputs = ImageInputs.OutputPaths(["/photos/a.png", "/photos/b.jpg"], "/out");
        outputs.Should().Equal("/out/a.facemoji.png", "/out/b.facemoji.jpg");
    }
}
