using Facemoji.Core;

namespace Facemoji.Core.Tests;

/// <summary>An output renamed over its target must never replace a device or a folder.</summary>
public sealed class OutputFileTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void New_names_and_regular_files_may_be_replaced()
    {
        string existing = folder.Combine("old.fmj");
        File.WriteAllBytes(existing, []);

        OutputFile.Problem(folder.Combine("new.fmj")).Should().BeNull();
        OutputFile.Problem(existing).Should().BeNull();
    }

    [Fact]
    public void Devices_links_to_them_and_folders_are_refused()
    {
        File.CreateSymbolicLink(folder.Combine("null.onnx"), "/dev/null");

        FluentActions.Invoking(() => OutputFile.Check("/dev/null")).Should().Throw<FacemojiException>()
            .WithMessage("/dev/null: is not a regular file (a FIFO, device or socket); an output replaces its target whole, so name a file");
        OutputFile.Problem(folder.Combine("null.onnx")).Should().StartWith("is not a regular file");
        OutputFile.Problem(folder.Path).Should().Be("is a folder, not a file");
    }
}
