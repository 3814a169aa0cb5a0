using System.Diagnostics;
using Facemoji.Core;

namespace Facemoji.Core.Tests;

/// <summary>Whole-file reads with a limit: special files are refused before they are opened, so nothing hangs or reads forever.</summary>
public sealed class BoundedFileTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "facemoji-tests", Guid.NewGuid().ToString("N"));

    public BoundedFileTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_regular_file_within_the_limit_is_read_whole()
    {
        string path = Path.Combine(folder, "bytes.bin");
        byte[] bytes = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();
        File.WriteAllBytes(path, bytes);

        BoundedFile.Problem(path, bytes.Length).Should().BeNull();
        BoundedFile.ReadAllBytes(path, bytes.Length).Should().Equal(bytes);
    }

    [Fact]
    public void A_file_over_the_limit_is_refused_with_its_size()
    {
        string path = Path.Combine(folder, "big.bin");
        File.WriteAllBytes(path, new byte[3 << 20]);

        BoundedFile.Problem(path, 2 << 20).Should().Be("is 3.1 MB, over the limit of 2 MB");
        FluentActions.Invoking(() => BoundedFile.ReadAllBytes(path, 2 << 20)).Should().Throw<FacemojiException>()
            .WithMessage($"{path}: is 3.1 MB, over the limit of 2 MB");
    }

    [Fact]
    public void Missing_files_folders_and_bad_names_are_named()
    {
        BoundedFile.Problem(Path.Combine(folder, "nope.bin"), 10).Should().Be("does not exist");
        BoundedFile.Problem(folder, 10).Should().Be("is a folder, not a file");
        BoundedFile.Problem("", 10).Should().StartWith("is not a valid file name");
    }

    [Fact(Timeout = 10_000)]
    public async Task Dev_zero_is_refused_without_reading_it()
    {
        // File.ReadAllBytes would read 2 GB of zeros and then fail on the array limit.
        await Task.Run(() => FluentActions.Invoking(() => BoundedFile.ReadAllBytes("/dev/zero", 1 << 20))
            .Should().Throw<FacemojiException>().WithMessage("/dev/zero: is empty or not a regular file (a FIFO, device or socket)"));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_fifo_is_refused_without_opening_it()
    {
        string fifo = Path.Combine(folder, "pipe.png");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
        }

        // Opening a FIFO for reading blocks until a writer comes; none will.
        await Task.Run(() => BoundedFile.Problem(fifo, 1 << 20).Should().Be("is empty or not a regular file (a FIFO, device or socket)"));
    }

    [Fact]
    public void The_limit_cannot_exceed_one_array()
    {
        string path = Path.Combine(folder, "one.bin");
        File.WriteAllBytes(path, [1]);

        FluentActions.Invoking(() => BoundedFile.ReadAllBytes(path, long.MaxValue)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
