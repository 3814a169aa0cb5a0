using Facemoji.Emoji.Packs;
using Facemoji.Emoji.Tests.Support;
using Facemoji.Expressions;

namespace Facemoji.Emoji.Tests.Packs;

public class PackValidatorTests
{
    [Fact]
    public void A_complete_pack_is_valid_and_maps_single_and_per_intensity_images()
    {
        using var pack = new TemporaryPack();
        var result = PackValidator.Validate(pack.Folder);
        result.Problems.Should().BeEmpty();
        result.IsValid.Should().BeTrue();
        var manifest = result.Manifest!;
        manifest.Name.Should().Be("testpack");
        manifest.Licence.Should().Be("CC0-1.0");
        Path.GetFileName(manifest.ImagePath(Emotion.Sad, Intensity.Strong)).Should().Be("sad.png");
        Path.GetFileName(manifest.ImagePath(Emotion.Happy, Intensity.Mild)).Should().Be("happy-mild.png");
        Path.GetFileName(manifest.ImagePath(Emotion.Happy, Intensity.Strong)).Should().Be("happy-strong.png");
    }

    [Fact]
    public void Aliases_license_spelling_and_intensity_objects_are_accepted()
    {
        using var pack = new TemporaryPack();
        pack.Manifest.Remove("licence");
        pack.Manifest["license"] = "MIT";
        pack.Emotions.Remove("angry");
        pack.Emotions["anger"] = "angry.png";
        pack.Emotions["sad"] = new System.Text.Json.Nodes.JsonObject { ["mild"] = "sad.png", ["clear"] = "sad.png", ["strong"] = "fear.png" };
        pack.Save();
        var result = PackValidator.Validate(pack.Folder);
        result.Problems.Should().BeEmpty();
        result.Manifest!.Licence.Should().Be("MIT");
        Path.GetFileName(result.Manifest.ImagePath(Emotion.Sad, Intensity.Strong)).Should().Be("fear.png");
    }

    [Fact]
    public void A_missing_emotion_is_reported_by_name()
    {
        using var pack = new TemporaryPack();
        pack.Emotions.Remove("disgust");
        pack.Save();
        ShouldReport(pack, PackProblemKind.MissingImage, "emotions.disgust", "*image for disgust*");
    }

    [Fact]
    public void A_missing_image_file_is_reported_with_its_entry()
    {
        using var pack = new TemporaryPack();
        File.Delete(Path.Combine(pack.Folder, "fear.png"));
        ShouldReport(pack, PackProblemKind.MissingImage, "emotions.fear", "*'fear.png' not found*");
    }

    [Fact]
    public void An_unknown_emotion_name_is_reported_with_the_names_that_work()
    {
        using var pack = new TemporaryPack();
        pack.Emotions["grumpy"] = "angry.png";
        pack.Save();
        ShouldReport(pack, PackProblemKind.UnknownEmotion, "emotions.grumpy", "*'grumpy' is not an emotion*angry, disgust, fear, happy, sad, surprise, neutral*");
    }

    [Fact]
    public void An_emotion_given_twice_through_an_alias_is_reported()
    {
        using var pack = new TemporaryPack();
        pack.Emotions["joy"] = "happy.png";
        pack.Save();
        ShouldReport(pack, PackProblemKind.UnknownEmotion, "emotions.joy", "*happy a second time*");
    }

    [Fact]
    public void A_file_that_is_not_a_png_is_reported()
    {
        using var pack = new TemporaryPack();
        File.WriteAllText(Path.Combine(pack.Folder, "sad.png"), "GIF89a pretending");
        ShouldReport(pack, PackProblemKind.BadPng, "emotions.sad", "*'sad.png' is not a PNG file*");
    }

    [Fact]
    public void A_corrupt_png_is_reported_with_the_decoder_problem()
    {
        using var pack = new TemporaryPack();
        string path = Path.Combine(pack.Folder, "surprise.png");
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - 20).ToArray());
        ShouldReport(pack, PackProblemKind.BadPng, "emotions.surprise", "*'surprise.png' is not a readable PNG*");
    }

    [Theory]
    [InlineData("../outside.png")]
    [InlineData("sub/../../outside.png")]
    [InlineData("/etc/passwd")]
    public void A_path_outside_the_pack_is_refused(string path)
    {
        using var pack = new TemporaryPack();
        pack.Emotions["neutral"] = path;
        pack.Save();
        ShouldReport(pack, PackProblemKind.PathOutsidePack, "emotions.neutral", "*outside the pack folder*", "*absolute path*");
    }

    [Fact]
    public void A_link_leading_outside_the_pack_is_refused()
    {
        using var pack = new TemporaryPack();
        using var other = new TemporaryPack();
        File.Delete(Path.Combine(pack.Folder, "neutral.png"));
        File.CreateSymbolicLink(Path.Combine(pack.Folder, "neutral.png"), Path.Combine(other.Folder, "neutral.png"));
        ShouldReport(pack, PackProblemKind.PathOutsidePack, "emotions.neutral", "*is a link to*outside the pack folder*");
    }

    [Fact]
    public void A_linked_folder_leading_outside_the_pack_is_refused()
    {
        // Issue 14: only a link on the file itself was checked; a linked folder led anywhere.
        using var pack = new TemporaryPack();
        using var other = new TemporaryPack();
        Directory.CreateSymbolicLink(Path.Combine(pack.Folder, "faces"), other.Folder);
        pack.Emotions["neutral"] = "faces/neutral.png";
        pack.Save();
        ShouldReport(pack, PackProblemKind.PathOutsidePack, "emotions.neutral", "*is a link to*outside the pack folder*");
    }

    [Fact]
    public void A_linked_folder_inside_the_pack_is_fine()
    {
        using var pack = new TemporaryPack();
        Directory.CreateDirectory(Path.Combine(pack.Folder, "real"));
        File.Move(Path.Combine(pack.Folder, "neutral.png"), Path.Combine(pack.Folder, "real", "neutral.png"));
        Directory.CreateSymbolicLink(Path.Combine(pack.Folder, "alias"), Path.Combine(pack.Folder, "real"));
        pack.Emotions["neutral"] = "alias/neutral.png";
        pack.Save();
        PackValidator.Validate(pack.Folder).Problems.Should().BeEmpty();
    }

    [Fact(Timeout = 10_000)]
    [Trait("Category", "Slow")]
    public async Task A_fifo_is_refused_without_hanging()
    {
        using var pack = new TemporaryPack();
        string fifo = Path.Combine(pack.Folder, "neutral.png");
        File.Delete(fifo);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
        }

        await Task.Run(() => ShouldReport(pack, PackProblemKind.BadPng, "emotions.neutral", "*not a regular file*"));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_link_to_dev_zero_is_refused_without_reading_it()
    {
        using var pack = new TemporaryPack();
        Directory.CreateDirectory(Path.Combine(pack.Folder, "dev"));
        File.CreateSymbolicLink(Path.Combine(pack.Folder, "dev", "zero.png"), "/dev/zero");
        pack.Emotions["neutral"] = "dev/zero.png";
        pack.Save();
        await Task.Run(() => PackValidator.Validate(pack.Folder).Problems.Should().ContainSingle()
            .Which.Kind.Should().Be(PackProblemKind.PathOutsidePack));
    }

    [Fact]
    public void A_nul_in_an_image_path_is_a_listed_problem()
    {
        using var pack = new TemporaryPack();
        pack.Emotions["neutral"] = "neu\u0000tral.png";
        pack.Save();
        ShouldReport(pack, PackProblemKind.PathOutsidePack, "emotions.neutral", "*NUL*");
    }

    [Fact]
    public void An_oversized_image_is_reported_with_its_size_and_the_limit()
    {
        using var pack = new TemporaryPack();
        pack.WriteImage("angry.png", TemporaryPack.Swatch(PackValidator.MaxImageSide + 1, 4, 0));
        ShouldReport(pack, PackProblemKind.OversizedImage, "emotions.angry", $"*{PackValidator.MaxImageSide + 1}x4*at most {PackValidator.MaxImageSide}x{PackValidator.MaxImageSide}*");
    }

    [Fact]
    public void A_per_intensity_list_needs_three_images()
    {
        using var pack = new TemporaryPack();
        pack.Emotions["happy"] = new System.Text.Json.Nodes.JsonArray("happy.png", "happy-strong.png");
        pack.Save();
        ShouldReport(pack, PackProblemKind.WrongIntensityCount, "emotions.happy", "*has 2 images*three (mild, clear, strong)*");
    }

    [Theory]
    [InlineData("author")]
    [InlineData("licence")]
    [InlineData("name")]
    public void Missing_fields_are_reported(string field)
    {
        using var pack = new TemporaryPack();
        pack.Manifest.Remove(field);
        pack.Save();
        ShouldReport(pack, PackProblemKind.MissingField, field, $"*\"{field}\"*");
    }

    [Theory]
    [InlineData("noto", "*built-in pack*")]
    [InlineData("My Pack!", "*not a pack name*")]
    public void Reserved_and_malformed_names_are_refused(string name, string message)
    {
        using var pack = new TemporaryPack();
        pack.Manifest["name"] = name;
        pack.Save();
        ShouldReport(pack, PackProblemKind.MissingField, "name", message);
    }

    [Fact]
    public void Invalid_json_is_reported_with_its_line()
    {
        using var pack = new TemporaryPack();
        File.WriteAllText(Path.Combine(pack.Folder, "pack.json"), "{\n  \"name\": \"x\",\n  \"author\" \"y\"\n}");
        ShouldReport(pack, PackProblemKind.BadManifest, "pack.json", "*not valid JSON (line 3*");
    }

    [Fact]
    public void A_folder_without_pack_json_is_reported()
    {
        using var pack = new TemporaryPack();
        File.Delete(Path.Combine(pack.Folder, "pack.json"));
        ShouldReport(pack, PackProblemKind.BadManifest, "pack.json", "*needs a pack.json*");
        PackValidator.Validate(Path.Combine(pack.Folder, "nope")).Problems.Single().Message.Should().Be("no such folder");
    }

    [Fact]
    public void Every_problem_is_reported_at_once_and_opening_lists_them()
    {
        using var pack = new TemporaryPack();
        pack.Emotions.Remove("disgust");
        pack.Emotions["grumpy"] = "angry.png";
        pack.Emotions["fear"] = "../fear.png";
        pack.Save();
        var result = PackValidator.Validate(pack.Folder);
        result.Problems.Select(p => p.Kind).Should().BeEquivalentTo([PackProblemKind.MissingImage, PackProblemKind.UnknownEmotion, PackProblemKind.PathOutsidePack]);
        var open = () => UserPack.Open(pack.Folder);
        open.Should().Throw<FacemojiException>().Which.Message.Should().Contain("3 problems").And.Contain("disgust").And.Contain("grumpy").And.Contain("../fear.png");
    }

    private static void ShouldReport(TemporaryPack pack, PackProblemKind kind, string whereEndsWith, params string[] messagePatterns)
    {
        var result = PackValidator.Validate(pack.Folder);
        result.IsValid.Should().BeFalse();
        result.Problems.Should().ContainSingle($"one thing was broken, got: {string.Join(" | ", result.Problems)}");
        var problem = result.Problems[0];
        problem.Kind.Should().Be(kind, problem.ToString());
        problem.Where.Should().EndWith(whereEndsWith);
        messagePatterns.Any(pattern => new[] { problem.Message }.Any(m => System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(pattern, m))).Should().BeTrue(
            $"the message '{problem.Message}' should match one of {string.Join(", ", messagePatterns)}");
    }
}
