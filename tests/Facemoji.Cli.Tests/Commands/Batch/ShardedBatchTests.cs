using System.Diagnostics;
using Facemoji.Imaging;
using Facemoji.Imaging.Processing;

namespace Facemoji.Cli.Tests.Commands.Batch;

/// <summary>
/// The issue's floor: four shards of <c>facemoji image --jsonl</c>, each its own process, one of them killed midway
/// and resumed, merge into exactly the lines of a single run.
/// </summary>
public sealed class ShardedBatchTests : IDisposable
{
    private const int Shards = 4;
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"facemoji-shards-{Guid.NewGuid():N}");

    public ShardedBatchTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact(Timeout = 300_000)]
    [Trait("Category", "Slow")]
    public async Task Four_shards_with_one_killed_and_resumed_merge_into_the_single_run()
    {
        string photos = MakePhotos(64);
        string single = Path.Combine(folder, "single.jsonl");
        Program.Main(["image", photos, "--no-images", "--jsonl", single]).Should().Be(1, "one input is not a picture");

        string ShardFile(int i) => Path.Combine(folder, $"shard-{i}.jsonl");
        string[] ShardArgs(int i, bool resume) =>
            ["image", photos, "--no-images", "--jsonl", ShardFile(i), "--shard", $"{i}/{Shards}", .. resume ? new[] { "--resume" } : []];

        // The shard with the most inputs is the one killed, as soon as its first result is on disk.
        int victim = Enumerable.Range(0, Shards).MaxBy(i => ShardSize(photos, i));
        var processes = Enumerable.Range(0, Shards).Select(i => Start(ShardArgs(i, resume: false))).ToArray();
        int linesAtKill = await KillAfterFirstLineAsync(processes[victim], ShardFile(victim));
        linesAtKill.Should().BeLessThan(ShardSize(photos, victim), "the kill must land midway through the shard");
        foreach (var (process, i) in processes.Select((p, i) => (p, i)).Where(x => x.i != victim))
        {
            await WaitAsync(process);
        }

        var resumed = Start(ShardArgs(victim, resume: true));
        string resumeLog = await WaitAsync(resumed);
        resumeLog.Should().Contain($"{linesAtKill} already done");

        string merged = Path.Combine(folder, "merged.jsonl");
        Program.Main(["merge", .. Enumerable.Range(0, Shards).Select(ShardFile), "-o", merged, "--summary", Path.Combine(folder, "summary.json")]).Should().Be(0);

        var singleLines = File.ReadAllLines(single).Order(StringComparer.Ordinal).ToList();
        singleLines.Should().HaveCount(65);
        File.ReadAllLines(merged).Should().Equal(singleLines);
        File.ReadAllText(Path.Combine(folder, "summary.json")).Should().Contain("\"inputs\": 65").And.Contain("\"failed\": 1");
    }

    [Theory]
    [InlineData("4/4")]
    [InlineData("x/4")]
    [InlineData("1/0")]
    [Trait("Category", "Slow")]
    public void A_bad_shard_is_a_user_error(string shard)
    {
        string photos = MakePhotos(1);
        var (code, stderr) = Run("image", photos, "--no-images", "--shard", shard);
        code.Should().Be(CliErrors.UserError);
        stderr.Should().Contain($"--shard '{shard}'").And.NotContain("   at ", "no stack trace");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Resume_without_a_results_file_is_a_user_error()
    {
        var (code, stderr) = Run("image", MakePhotos(1), "--no-images", "--resume");
        code.Should().Be(CliErrors.UserError);
        stderr.Should().Contain("--resume needs a results file");
    }

    [Fact(Timeout = 120_000)]
    [Trait("Category", "Slow")]
    public async Task A_folder_of_videos_runs_as_a_batch_with_one_line_per_video()
    {
        string videos = Path.Combine(folder, "videos");
        Directory.CreateDirectory(videos);
        foreach (string name in new[] { "a.mp4", "b.mp4" })
        {
            var ffmpeg = Process.Start("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=96x72:rate=10", "-t", "1", "-pix_fmt", "yuv420p", Path.Combine(videos, name)])!;
            await ffmpeg.WaitForExitAsync();
            ffmpeg.ExitCode.Should().Be(0);
        }

        File.WriteAllText(Path.Combine(videos, "broken.mp4"), "not a video");
        string results = Path.Combine(folder, "videos.jsonl");
        var (code, stderr) = Run("video", videos, "-o", Path.Combine(folder, "annotated"), "--jsonl", results);
        code.Should().Be(CliErrors.UserError, "broken.mp4 fails; " + stderr);

        var lines = File.ReadAllLines(results);
        lines.Should().HaveCount(3);
        lines.Should().Contain(l => l.StartsWith("{\"file\":\"" + Path.Combine(videos, "a.mp4") + "\",\"frames\":10,"));
        lines.Should().Contain(l => l.Contains("broken.mp4") && l.Contains("\"error\""));
        File.Exists(Path.Combine(folder, "annotated", "b.facemoji.mp4")).Should().BeTrue();

        // Resuming a finished batch does nothing more.
        var (again, log) = Run("video", videos, "-o", Path.Combine(folder, "annotated"), "--jsonl", results, "--resume");
        again.Should().Be(0, log);
        log.Should().Contain("3 already done, 0 processed");
        File.ReadAllLines(results).Should().Equal(lines);
    }

    /// <summary>Varied crops of the sample photo (some with the face, some without) and one file that is not a picture.</summary>
    private string MakePhotos(int count)
    {
        string photos = Path.Combine(folder, $"photos-{count}");
        Directory.CreateDirectory(Path.Combine(photos));
        RgbaImage astronaut = ImageCodecs.Load(RepositoryFiles.SamplePhoto());
        for (int i = 0; i < count; i++)
        {
            int size = 200 + (i * 37 % 200);
            int x = i * 53 % (512 - size), y = i * 29 % (512 - size);
            RgbaImage crop = Cropping.Crop(astronaut, new PixelRect(x, y, size, size));
            ImageCodecs.Save(Resizer.Resize(crop, 320, 320), Path.Combine(photos, $"photo-{i:D3}.{(i % 2 == 0 ? "png" : "jpg")}"));
        }

        File.WriteAllText(Path.Combine(photos, "not-a-picture.png"), "text");
        return photos;
    }

    private static int ShardSize(string photos, int shard) =>
        Directory.EnumerateFiles(photos).Count(f => new Pipeline.Batch.ShardSpec(shard, Shards).Contains(Path.GetFileName(f)));

    private static Process Start(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryFiles.RepositoryRoot };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "facemoji.dll"));
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        return Process.Start(start)!;
    }

    private static async Task<string> WaitAsync(Process process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await stdout;
        // Exit code 1 is expected for the shard that holds the file that is not a picture.
        process.ExitCode.Should().BeOneOf([0, 1], stderr);
        return stderr;
    }

    private static (int Code, string Stderr) Run(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stderr);
    }

    private static async Task<int> KillAfterFirstLineAsync(Process process, string results)
    {
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (CompleteLines(results) >= 1)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                return CompleteLines(results);
            }

            process.HasExited.Should().BeFalse("the shard must still be running when its first line appears");
            await Task.Delay(2);
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException("the shard wrote no result in 120 s");
    }

    private static int CompleteLines(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        int count = 0;
        int b;
        while ((b = stream.ReadByte()) >= 0)
        {
            count += b == '\n' ? 1 : 0;
        }

        return count;
    }
}
