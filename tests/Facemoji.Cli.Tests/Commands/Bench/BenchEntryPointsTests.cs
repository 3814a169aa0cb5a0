using System.Net;
using System.Net.Sockets;
using Facemoji.Benchmarks.Detection;
using Facemoji.Benchmarks.Networks;
using Facemoji.Benchmarks.Web;
using Facemoji.Vision.Detection;

namespace Facemoji.Cli.Tests.Commands.Bench;

/// <summary>
/// The library entry points the thin <c>facemoji bench</c> subcommands call (src/Facemoji.Benchmarks): their checks
/// come before any work, with errors that name the input, and their results hold what the commands print.
/// </summary>
public sealed class BenchEntryPointsTests
{
    private static readonly string Frame = RepositoryFiles.PathOf("tests", "Facemoji.Vision.Tests", "Fixtures", "detector", "frame_640x480.pgm");

    [Fact]
    [Trait("Category", "Slow")]
    public void Detection_runs_once_per_thread_count()
    {
        int threads = ParallelRows.MaxDegreeOfParallelism;
        IReadOnlyList<(int Threads, DetectionBenchmarkResult Result)> results;
        try
        {
            results = DetectionBenchmark.RunAcrossThreads(Frame, null, DetectionOptions.Default, [1, 2], quick: true);
        }
        finally
        {
            ParallelRows.MaxDegreeOfParallelism = threads;
        }

        results.Select(r => r.Threads).Should().Equal(1, 2);
        results.Should().OnlyContain(r => r.Result.Width == 640 && r.Result.Height == 480 && r.Result.MedianMillisecondsPerFrame > 0);
        results.Should().OnlyContain(r => r.Result.MillisecondsPerFrame.Count == 3 && r.Result.FramesPerRepeat == 5, "--quick times 3 repeats of 5 frames");
        results[0].Result.Cascade.Should().Be("haarcascade_frontalface_default.xml", "no --cascade means OpenCV's default frontal face cascade");
    }

    [Fact]
    public void Detection_options_are_checked_before_the_frame_is_read()
    {
        var act = () => DetectionBenchmark.RunAcrossThreads("/no/such/frame.pgm", null, new DetectionOptions { ScaleFactor = 1.0 }, [1], quick: true);

        act.Should().Throw<FacemojiException>().WithMessage("*scale factor 1*");
    }

    [Fact]
    public void Detection_names_a_frame_it_cannot_read()
    {
        var act = () => DetectionBenchmark.RunAcrossThreads("/no/such/frame.pgm", null, DetectionOptions.Default, [1], quick: true);

        act.Should().Throw<FacemojiException>().WithMessage("*/no/such/frame.pgm*");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Detector_timing_of_a_cascade_is_one_line_on_one_thread()
    {
        int threads = ParallelRows.MaxDegreeOfParallelism;
        IReadOnlyList<DetectorTimingResult> timings;
        try
        {
            timings = DetectorTiming.Run("haar", Frame, quick: true);
        }
        finally
        {
            ParallelRows.MaxDegreeOfParallelism = threads;
        }

        timings.Should().ContainSingle().Which.Should().Match<DetectorTimingResult>(t =>
            t.Label == "haar" && t.MedianMilliseconds > 0 && t.Width == 640 && t.Height == 480 && t.Repeats == 3 && t.FramesPerRepeat == 5);
    }

    [Fact]
    public void Detector_timing_names_an_unknown_detector()
    {
        var act = () => DetectorTiming.Run("no-such-detector", Frame, quick: true);

        act.Should().Throw<FacemojiException>().WithMessage("*no-such-detector*haar*");
    }

    [Theory]
    [InlineData("no-such-net", new[] { 8 }, "*no-such-net*bench-vgg8*")]
    [InlineData("bench-vgg8", new[] { 8, 0 }, "--batch: 8 0 *")]
    [InlineData("bench-vgg8", new[] { 4097 }, "--batch: 4097 *")]
    [InlineData("bench-vgg8", new int[0], "--batch:  is not*")]
    public void Network_batches_check_the_architecture_and_sizes_first(string architecture, int[] batches, string message)
    {
        var train = () => NetworkBenchmark.TrainBatches(architecture, batches, 1, quick: true);
        var infer = () => NetworkBenchmark.InferBatches(architecture, batches, 1, quick: true, compareWithOnnxRuntime: true);

        train.Should().Throw<FacemojiException>().WithMessage(message);
        infer.Should().Throw<FacemojiException>().WithMessage(message);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Network_batches_measure_each_size_in_turn()
    {
        var rows = NetworkBenchmark.InferBatches("bench-vgg8", [1, 2], 1, quick: true, compareWithOnnxRuntime: false);

        rows.Select(r => r.Ours.Batch).Should().Equal(1, 2);
        rows.Should().OnlyContain(r => r.Reference == null && r.Ours.Benchmark == "infer" && r.Ours.Threads == 1 && r.Ours.ImagesPerSecond > 0);
    }

    [Theory]
    [InlineData(0, 10, 5)]
    [InlineData(257, 10, 5)]
    [InlineData(8, 0, 5)]
    [InlineData(8, 10, 3601)]
    public async Task Web_load_figures_are_checked_before_a_server_starts(int clients, double fps, double seconds)
    {
        bool started = false;
        var request = new WebLoadRequest(null, RepositoryFiles.SamplePhoto(), clients, fps, seconds);

        var act = () => WebLoadRun.RunAsync(request, (_, _, _) => { started = true; throw new InvalidOperationException("no server in this test"); });

        await act.Should().ThrowAsync<FacemojiException>().WithMessage("--clients must be 1..256, --fps 0..1000 and --seconds 0..3600");
        started.Should().BeFalse();
    }

    [Fact]
    public async Task Web_load_names_a_picture_it_cannot_read_before_a_server_starts()
    {
        bool started = false;
        var act = () => WebLoadRun.RunAsync(
            new WebLoadRequest(null, "/no/such/img.png", 8, 10, 5), (_, _, _) => { started = true; throw new InvalidOperationException("no server in this test"); });

        await act.Should().ThrowAsync<FacemojiException>().WithMessage("*/no/such/img.png*");
        started.Should().BeFalse();
    }

    [Fact]
    public async Task Web_load_stops_the_server_and_deletes_its_saves_folder_when_the_load_fails()
    {
        var server = new StoppedServer();
        string? saves = null;
        int? sockets = null;
        var act = () => WebLoadRun.RunAsync(new WebLoadRequest(null, RepositoryFiles.SamplePhoto(), 1, 10, 5), (folder, maxSockets, _) =>
        {
            saves = folder;
            sockets = maxSockets;
            Directory.CreateDirectory(folder);
            return Task.FromResult<(Uri, IAsyncDisposable)>((ClosedLoopbackPort(), server));
        });

        await act.Should().ThrowAsync<Exception>("nothing listens on the port");
        server.Disposed.Should().BeTrue();
        sockets.Should().Be(16, "the server takes 16 sockets, or as many as there are clients where more");
        Directory.Exists(saves).Should().BeFalse();
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 1)]
    public void Web_load_exits_1_when_any_frame_failed(long errors, int exitCode)
    {
        var none = Percentiles.Of([]);
        var settings = new WebLoadSettings(new Uri("http://127.0.0.1:1"), [], 1, 1, TimeSpan.FromSeconds(1));
        var result = new WebLoadResult(settings, 10, 0, errors, [], none, none, 1, 1, 1, []);

        new WebLoadReport(result, ServerInProcess: true).ExitCode.Should().Be(exitCode);
    }

    /// <summary>A loopback port that was just free: connecting to it is refused at once.</summary>
    private static Uri ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    private sealed class StoppedServer : IAsyncDisposable
    {
        public bool Disposed { get; private set; }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
