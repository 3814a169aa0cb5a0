using System.Diagnostics;
using Facemoji.Benchmarks.Gemm;

namespace Facemoji.Cli.Tests.Commands.Bench;

/// <summary>The warm-up of <c>facemoji bench gemm</c> (<see cref="GemmBenchmark"/>): waiting for the JIT is bounded.</summary>
public sealed class GemmBenchmarkTests
{
    // square 256: about 0.3 ms a call
    private static readonly GemmShape Small = GemmShapes.Squares[0];

    [Fact]
    public void Waiting_for_a_quiet_JIT_stops_at_its_limit()
    {
        // A quiet time far beyond the limit: only the limit (0.2 s) can end the wait.
        var settings = GemmBenchmarkSettings.Quick() with { JitQuietSeconds = 60, JitWaitLimitSeconds = 0.2 };
        var watch = Stopwatch.StartNew();
        GemmMeasurement measurement = GemmBenchmark.Run([Small], [1], settings).Single();
        watch.Elapsed.TotalSeconds.Should().BeGreaterThanOrEqualTo(0.2).And.BeLessThan(20);
        measurement.MedianSeconds.Should().BePositive();
    }

    [Fact]
    public void Without_a_quiet_time_nothing_is_waited_for()
    {
        var settings = GemmBenchmarkSettings.Quick();
        var watch = Stopwatch.StartNew();
        GemmBenchmark.Run([Small], [1], settings).Single().MedianSeconds.Should().BePositive();
        watch.Elapsed.TotalSeconds.Should().BeLessThan(10);
        GemmBenchmarkSettings.Quick().JitQuietSeconds.Should().Be(0);
        GemmBenchmarkSettings.Full().JitQuietSeconds.Should().BePositive();
    }
}
