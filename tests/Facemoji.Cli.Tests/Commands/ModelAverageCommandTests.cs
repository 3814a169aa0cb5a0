using System.Text.Json;
using Facemoji.Cli.Tests.Training;
using Facemoji.Engine.Networks;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Serialization;

namespace Facemoji.Cli.Tests.Commands;

/// <summary><c>facemoji model average</c> end to end: the soup is written and readable by <c>model show</c>; bad members are one clear error and no file.</summary>
public sealed class ModelAverageCommandTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private CliRun.Result Facemoji(params string[] args) => CliRun.Run(temp.Path, null, args);

    private void Member(string name, ulong seed) =>
        ModelFile.Save(temp.Combine(name), Architectures.Create("bench-vgg8", new SeededRandom(seed)), ModelFile.Read(UntrainedModel.Path).Header);

    [Fact]
    public void Two_members_make_one_file_that_model_show_describes()
    {
        Member("a.fmj", 1);
        Member("b.fmj", 2);

        var run = Facemoji("model", "average", "a.fmj", "b.fmj", "-o", "soup.fmj");

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().StartWith("averaged 2 bench-vgg8 models (").And.Contain("into soup.fmj").And.Contain("  b.fmj (sha256 ").And.Contain("temperature: none");
        var shown = Facemoji("model", "show", "soup.fmj", "--json");
        shown.ExitCode.Should().Be(0, shown.Stderr);
        using var json = JsonDocument.Parse(shown.Stdout);
        var info = json.RootElement.GetProperty("training_info");
        info.GetProperty("member_count").GetString().Should().Be("2");
        info.GetProperty("members").GetString().Should().StartWith("a.fmj (sha256 ");
    }

    [Fact]
    public void One_member_or_a_foreign_file_is_a_clear_error_and_writes_nothing()
    {
        Member("a.fmj", 1);
        File.WriteAllText(temp.Combine("notes.fmj"), "these are not weights");

        var alone = Facemoji("model", "average", "a.fmj", "-o", "soup.fmj");
        var foreign = Facemoji("model", "average", "a.fmj", "notes.fmj", "-o", "soup.fmj");
        var noOutput = Facemoji("model", "average", "a.fmj", "a.fmj");

        alone.ExitCode.Should().Be(1);
        alone.Stderr.Should().StartWith("error: model average needs at least two model files to average; got 1.");
        foreign.ExitCode.Should().Be(1);
        foreign.Stderr.Should().StartWith("error: notes.fmj: ").And.NotContain("   at ");
        noOutput.ExitCode.Should().NotBe(0);
        noOutput.Stderr.Should().Contain("--output");
        File.Exists(temp.Combine("soup.fmj")).Should().BeFalse();
    }
}
