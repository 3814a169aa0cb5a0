using Facemoji.Core;

namespace Facemoji.Core.Tests;

/// <summary>stat(2)'s file type: what .NET's managed API cannot tell apart (an empty file, a FIFO, a device).</summary>
public sealed class FileKindsTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void An_empty_file_is_a_regular_file_and_a_device_is_not()
    {
        string empty = folder.Combine("empty.png");
        File.WriteAllBytes(empty, []);

        FileKinds.Read(empty).Should().Be((FileKind.RegularFile, 0L));
        FileKinds.Of("/dev/zero").Should().Be(FileKind.Special);
        FileKinds.Of("/dev/null").Should().Be(FileKind.Special);
    }

    [Fact]
    public void Sizes_folders_and_missing_paths()
    {
        string file = folder.Combine("five.bin");
        File.WriteAllBytes(file, [1, 2, 3, 4, 5]);

        FileKinds.Read(file).Should().Be((FileKind.RegularFile, 5L));
        FileKinds.Of(folder.Path).Should().Be(FileKind.Folder);
        FileKinds.Of(folder.Combine("nope")).Should().Be(FileKind.Missing);
        FileKinds.Of(Path.Combine(file, "under-a-file")).Should().Be(FileKind.Missing);
    }

    [Fact]
    public void Links_are_followed()
    {
        string target = folder.Combine("target.bin");
        File.WriteAllBytes(target, new byte[1234]);
        File.CreateSymbolicLink(folder.Combine("to-file"), target);
        File.CreateSymbolicLink(folder.Combine("to-zero"), "/dev/zero");
        File.CreateSymbolicLink(folder.Combine("dangling"), folder.Combine("gone"));

        FileKinds.Read(folder.Combine("to-file")).Should().Be((FileKind.RegularFile, 1234L), "the target's size, not the link's");
        FileKinds.Of(folder.Combine("to-zero")).Should().Be(FileKind.Special);
        FileKinds.Of(folder.Combine("dangling")).Should().Be(FileKind.Missing);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_fifo_is_special_and_is_not_opened()
    {
        string fifo = await folder.MakeFifoAsync("pipe");

        await Task.Run(() => FileKinds.Of(fifo).Should().Be(FileKind.Special));
    }
}
