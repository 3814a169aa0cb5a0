namespace Facemoji.Cli.Tests.Commands;

/// <summary>--detector on the analysing verbs: every name works, an unknown one is refused before any work.</summary>
public class DetectorOptionTests
{
    private static string Astronaut() => RepositoryFiles.SamplePhotoPath;

    [Theory]
    [InlineData("blazeface")]
    [InlineData("blazeface-full")]
    [InlineData("haar")]
    [InlineData("lbp")]
    [Trait("Category", "Slow")]
    public void Image_runs_with_every_detector(string detector)
    {
        Program.Main(["image", Astronaut(), "--json", "--no-images", "--detector", detector]).Should().Be(0);
    }

    [Theory]
    [InlineData("image")]
    [InlineData("video")]
    [InlineData("demo")]
    [InlineData("serve")]
    public void BlazeFace_is_the_default_detector_of_every_analysing_verb(string verb)
    {
        var command = Consistency.OptionConsistencyTests.Verbs().Single(v => v.Path == verb).Command;
        command.Options.Single(o => o.Name == "--detector").GetDefaultValue().Should().Be("blazeface");
    }

    [Fact]
    public void Image_takes_thorough_and_video_does_not()
    {
        // A video's BlazeFace search is its own (every look on the first frame, then spread over the frames).
        var verbs = Consistency.OptionConsistencyTests.Verbs();
        verbs.Single(v => v.Path == "image").Command.Options.Single(o => o.Name == "--thorough").GetDefaultValue().Should().Be(false);
        verbs.Single(v => v.Path == "video").Command.Options.Should().NotContain(o => o.Name == "--thorough");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Image_runs_thorough()
    {
        Program.Main(["image", Astronaut(), "--json", "--no-images", "--thorough"]).Should().Be(0);
    }

    [Fact]
    public void An_unknown_detector_is_refused()
    {
        Program.Main(["image", Astronaut(), "--json", "--no-images", "--detector", "mtcnn"]).Should().NotBe(0);
    }
}
