using Facemoji.Core;

namespace Facemoji.Core.Tests;

/// <summary>Whole-file reads with a limit: special files are refused before they are opened, so nothing hangs or reads forever.</summary>
public sealed class BoundedFileTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_regular_file_within_the_limit_is_read_whole()
    {
        string path = folder.Combine("bytes.bin");
        byte[] bytes = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();
        File.WriteAllBytes(path, bytes);

        BoundedFile.Problem(path, bytes.Length).Should().BeNull();
        BoundedFile.ReadAllBytes(path, bytes.Length).Should().Equal(bytes);
    }

    [Fact]
    public void A_file_over_the_limit_is_refused_with_its_size()
    {
        string path = folder.Combine("big.bin");
        File.WriteAllBytes(path, new byte[3 << 20]);

        BoundedFile.Problem(path, 2 << 20).Should().Be("is 3.1 MB, over the limit of 2 MB");
        FluentActions.Invoking(() => BoundedFile.ReadAllBytes(path, 2 << 20)).Should().Throw<FacemojiException>()
            .WithMessage($"{path}: is 3.1 MB, over the limit of 2 MB");
    }

    [Fact]
    public void Missing_files_folders_and_bad_names_are_named()
    {
        BoundedFile.Problem(folder.Combine("nope.bin"), 10).Should().Be("does not exist");
        BoundedFile.Problem(folder.Combine("nul\0.bin"), 10).Should().StartWith("is not a valid file name");
        BoundedFile.Problem(folder.Path, 10).Should().Be("is a folder, not a file");
        BoundedFile.Problem("", 10).Should().StartWith("is not a valid file name");
    }

    [Fact(Timeout = 10_000)]
    public async Task Dev_zero_is_refused_without_reading_it()
    {
        // File.ReadAllBytes would read 2 GB of zeros and then fail on the array limit.
        await Task.Run(() => FluentActions.Invoking(() => BoundedFile.ReadAllBytes("/dev/zero", 1 << 20))
            .Should().Throw<FacemojiException>().WithMessage("/dev/zero: is not a regular file (a FIFO, device or socket)"));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_fifo_is_refused_without_opening_it()
    {
        string fifo = await folder.MakeFifoAsync("pipe.png");

        // Opening a FIFO for reading blocks until a writer comes; none will.
        await Task.Run(() => BoundedFile.Problem(fifo, 1 << 20).Should().Be("is not a regular file (a FIFO, device or socket)"));
    }

    [Fact]
    public void An_empty_file_and_a_proc_file_of_length_zero_are_read()
    {
        string empty = folder.Combine("empty.csv");
        File.WriteAllBytes(empty, []);

        BoundedFile.ReadAllBytes(empty, 10).Should().BeEmpty();
        BoundedFile.ReadAllBytes("/proc/self/status", 1 << 20).Should().NotBeEmpty("a regular file whose length reads 0 still has content");
    }

    [Fact(Timeout = 10_000)]
    public async Task A_link_to_dev_zero_is_refused_without_reading_it()
    {
        string link = folder.Combine("zero.png");
        File.CreateSymbolicLink(link, "/dev/zero");

        await Task.Run(() => BoundedFile.Problem(link, 1 << 20).Should().Be("is not a regular file (a FIFO, device or socket)"));
    }

    [Fact]
    public void The_limit_cannot_exceed_one_array()
    {
        string path = folder.Combine("one.bin");
        File.WriteAllBytes(path, [1]);

        FluentActions.Invoking(() => BoundedFile.ReadAllBytes(path, long.MaxValue)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
