using System.Text.Json;
using Facemoji.Cli.Tests.Training;

namespace Facemoji.Cli.Tests.Commands.Bench;

/// <summary>`facemoji bench train|infer` end to end, as a child process (the JSON goes straight to stdout).</summary>
public sealed class BenchNetworkCommandTests
{
    private static CliRun.Result Run(params string[] args) => CliRun.Run(Directory.GetCurrentDirectory(), null, args);

    [Theory]
    [InlineData("train")]
    [InlineData("infer")]
    [Trait("Category", "Slow")]
    public void ReportsImagesPerSecondAsJson(string mode)
    {
        var (code, stdout, stderr) = Run("bench", mode, "--arch", "bench-vgg8", "--batch", "2", "--threads", "1", "--quick", "--json");
        code.Should().Be(0, stderr);
        using var json = JsonDocument.Parse(stdout);
        json.RootElement.GetProperty("benchmark").GetString().Should().Be(mode);
        json.RootElement.GetProperty("batch").GetInt32().Should().Be(2);
        json.RootElement.GetProperty("images_per_second").GetDouble().Should().BePositive();
        json.RootElement.GetProperty("peak_working_set_bytes").GetInt64().Should().BePositive();
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void InferComparesWithOnnxRuntimeBatchByBatch()
    {
        // The ONNX Runtime side runs in its own process (src/Facemoji.Benchmarks.OnnxRuntime, built with the solution).
        var (code, stdout, stderr) = Run("bench", "infer", "--batch", "1", "2", "--threads", "1", "--quick", "--json", "--onnxruntime");
        code.Should().Be(0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        results.Select(r => r.GetProperty("batch").GetInt32()).Should().Equal(1, 2);
        foreach (var r in results)
        {
            r.GetProperty("onnxruntime").GetProperty("images_per_second").GetDouble().Should().BePositive();
            r.GetProperty("onnxruntime").GetProperty("work").GetString().Should().Contain("ONNX Runtime 1.31.1");
            r.GetProperty("speed_ratio_vs_onnxruntime").GetDouble().Should().BePositive();
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void ProfileLayersTimesEveryTopLevelLayerAndTheWholeForward()
    {
        var (code, stdout, stderr) = Run("bench", "infer", "--batch", "1", "--threads", "1", "--quick", "--json", "--profile-layers");
        code.Should().Be(0, stderr);
        using var json = JsonDocument.Parse(stdout);
        json.RootElement.GetProperty("benchmark").GetString().Should().Be("infer-layers");
        var result = json.RootElement.GetProperty("results").EnumerateArray().Single();
        result.GetProperty("batch").GetInt32().Should().Be(1);
        var layers = result.GetProperty("layers").EnumerateArray().ToList();

        // bench-vgg8: 8 ConvBn, 3 MaxPool2d, GAP, dropout, linear; then the whole forward.
        layers.Should().HaveCount(15);
        layers.Count(l => l.GetProperty("kind").GetString() == "ConvBn").Should().Be(8);
        layers[0].GetProperty("input_shape").GetString().Should().Be("1x1x48x48");
        layers[^1].GetProperty("name").GetString().Should().Be("forward");
        layers.Where(l => l.GetProperty("kind").GetString() == "ConvBn").Should().OnlyContain(l => l.GetProperty("best_microseconds").GetDouble() > 0);
        double sum = layers.SkipLast(1).Sum(l => l.GetProperty("best_microseconds").GetDouble());
        layers[^1].GetProperty("best_microseconds").GetDouble().Should().BeGreaterThan(sum / 2, "the whole forward runs every layer");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void ProfileLayersRefusesTheOnnxRuntimeComparison()
    {
        var (code, stdout, stderr) = Run("bench", "infer", "--quick", "--profile-layers", "--onnxruntime");
        code.Should().Be(1);
        stdout.Should().BeEmpty();
        stderr.Should().Contain("--profile-layers").And.Contain("--onnxruntime").And.NotContain("   at ");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void UnknownArchitectureIsAClearError()
    {
        var (code, _, stderr) = Run("bench", "train", "--arch", "nope", "--quick");
        code.Should().Be(1);
        stderr.Should().Contain("nope").And.Contain("bench-vgg8").And.NotContain("   at ");
    }
}
