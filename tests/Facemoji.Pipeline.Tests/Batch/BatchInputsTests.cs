using Facemoji.Pipeline.Batch;

namespace Facemoji.Pipeline.Tests.Batch;

public sealed class BatchInputsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("facemoji-batch-inputs-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Photos_in_sub_folders_are_keyed_by_their_relative_path_when_recursing()
    {
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        File.WriteAllBytes(Path.Combine(folder, "a.png"), []);
        File.WriteAllBytes(Path.Combine(folder, "sub", "b.jpg"), []);

        BatchInputs.Images([folder]).Select(i => i.Key).Should().Equal("a.png");
        BatchInputs.Images([folder], recursive: true).Select(i => i.Key).Should().Equal("a.png", "sub/b.jpg");
    }
}
