using System.Text.Json;
using Facemoji.Engine.Kernels;
using Facemoji.Engine.Modules;
using Facemoji.Engine.Networks;
using Facemoji.Engine.Onnx;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Serialization;
using Facemoji.Engine.Tensors;
using Facemoji.Engine.Tests.Serialization;
using Facemoji.Engine.Tests.Support;

namespace Facemoji.Engine.Tests.Onnx;

/// <summary>
/// The ONNX export against ONNX Runtime 1.31.1: every architecture, with trained-looking BatchNorm statistics,
/// gives the same logits and probabilities in ONNX Runtime as in our Eval forward (absolute 1e-4), at batch sizes
/// on both of our inference paths (direct convolution for ≤ 4 images, GEMM above), from one graph (dynamic batch).
/// </summary>
public sealed class OnnxExporterTests
{
    private const float Tolerance = 1e-4f;

    private static readonly string[] Labels = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

    [Theory]
    [InlineData("bench-vgg8")]
    [InlineData("vgg12")]
    [InlineData("resnet10")]
    [InlineData("vgg8-wide")]
    [Trait("Category", "Slow")]
    public void OnnxRuntimeGivesOurOutputsForEveryArchitecture(string architecture)
    {
        var network = TrainedLooking(architecture, seed: 11);
        using var session = new OnnxRuntimeSession(OnnxExporter.ToOnnx(network, Header(architecture)));
        foreach (int batch in new[] { 1, 3, 9 })
        {
            var x = TestData.Floats(batch * 48 * 48, (ulong)(100 + batch));
            var ours = network.Forward(new Tensor(x, batch, 1, 48, 48)).Span.ToArray();
            var (logits, probabilities) = session.Run(x, batch, 1, 48, 48);
            logits.Length.Should().Be(batch * 7);
            MaxDifference(ours, logits).Should().BeLessThan(Tolerance, $"{architecture} logits at batch {batch}");
            var ourProbabilities = new float[ours.Length];
            SoftmaxKernel.Forward(ours, ourProbabilities, batch, 7);
            MaxDifference(ourProbabilities, probabilities).Should().BeLessThan(Tolerance, $"{architecture} probabilities at batch {batch}");
        }
    }

    [Fact]
    public void StandaloneLayersExportToo()
    {
        // Conv2d with bias, a separate BatchNorm2d, ELU, average pooling, Flatten and a Linear without bias.
        var rng = new SeededRandom(5);
        var net = new Sequential(
            new Conv2d(1, 4, 3, rng, stride: 2, padding: 1), new BatchNorm2d(4), new ELU(0.7f), new AvgPool2d(3, 2, 1),
            new MaxPool2d(3, 1, 1), new ReLU(), new Flatten(), new Dropout(0.5f, rng.Fork(1)), new Linear(4 * 6 * 6, 7, rng, bias: false));
        MoveRunningStatistics(net, 6, side: 24);
        net.Eval();
        using var session = new OnnxRuntimeSession(OnnxExporter.ToOnnx(net, Header("custom") with { Preprocessing = Preprocessing(24) }));
        var x = TestData.Floats(2 * 24 * 24, 9);
        var ours = net.Forward(new Tensor(x, 2, 1, 24, 24)).Span.ToArray();
        MaxDifference(ours, session.Run(x, 2, 1, 24, 24).Logits).Should().BeLessThan(Tolerance);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void TheGraphCarriesLabelsPreprocessingAndADynamicBatchAxis()
    {
        var network = TrainedLooking("bench-vgg8", seed: 2);
        using var session = new OnnxRuntimeSession(OnnxExporter.ToOnnx(network, Header("bench-vgg8")));
        var input = session.Inputs[OnnxExporter.InputName];
        input.Dimensions.Should().Equal(-1, 1, 48, 48);
        input.SymbolicDimensions[0].Should().Be("batch");
        JsonSerializer.Deserialize<string[]>(session.Metadata["labels"]).Should().Equal(Labels);
        using var pre = JsonDocument.Parse(session.Metadata["preprocessing"]);
        pre.RootElement.GetProperty("width").GetInt32().Should().Be(48);
        pre.RootElement.GetProperty("mean")[0].GetSingle().Should().Be(0.5077f);
        pre.RootElement.GetProperty("std")[0].GetSingle().Should().Be(0.255f);
        pre.RootElement.GetProperty("crop_policy").GetString().Should().Be("face-box-1.02");
        session.Metadata["architecture"].Should().Be("bench-vgg8");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void ExportWritesTheModelFileAndNothingElse()
    {
        using var folder = new TempFolder();
        string model = folder.Combine("m.fmj"), onnx = folder.Combine("m.onnx");
        var network = TrainedLooking("bench-vgg8", seed: 4);
        ModelFile.Save(model, network, Header("bench-vgg8"));
        var summary = OnnxExporter.Export(model, onnx);
        summary.Bytes.Should().Be(new FileInfo(onnx).Length);
        summary.Labels.Should().Equal(Labels);
        Directory.GetFiles(folder.Path).Select(Path.GetFileName).Should().BeEquivalentTo("m.fmj", "m.onnx");
        using var session = new OnnxRuntimeSession(File.ReadAllBytes(onnx));
        var x = TestData.Floats(48 * 48, 8);
        var ours = network.Forward(new Tensor(x, 1, 1, 48, 48)).Span.ToArray();
        MaxDifference(ours, session.Run(x, 1, 1, 48, 48).Logits).Should().BeLessThan(Tolerance);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void BadInputGetsAClearErrorAndNoFile()
    {
        using var folder = new TempFolder();
        string notAModel = folder.Combine("notes.fmj");
        File.WriteAllText(notAModel, "hello");
        string onnx = folder.Combine("out.onnx");
        var act = () => OnnxExporter.Export(notAModel, onnx);
        act.Should().Throw<FacemojiException>().WithMessage($"*{notAModel}*not a model file*");
        File.Exists(onnx).Should().BeFalse();

        string model = folder.Combine("m.fmj");
        ModelFile.Save(model, TrainedLooking("bench-vgg8", seed: 1), Header("bench-vgg8"));
        string missingFolder = Path.Combine(folder.Path, "no-such-folder", "out.onnx");
        act = () => OnnxExporter.Export(model, missingFolder);
        act.Should().Throw<FacemojiException>().WithMessage("*no-such-folder*cannot be written*");
        act = () => OnnxExporter.Export(model, folder.Path);
        act.Should().Throw<FacemojiException>().WithMessage("*is a folder*");
        act = () => OnnxExporter.Export(model, model);
        act.Should().Throw<FacemojiException>().WithMessage("*overwrite the model file*");
        act = () => OnnxExporter.Export(folder.Combine("missing.fmj"), onnx);
        act.Should().Throw<FacemojiException>().WithMessage("*missing.fmj*");
        // A link to a device: renamed over, the link would be replaced (and, given /dev/null itself as root, the device).
        string toNull = folder.Combine("null.onnx");
        File.CreateSymbolicLink(toNull, "/dev/null");
        act = () => OnnxExporter.Export(model, toNull);
        act.Should().Throw<FacemojiException>().WithMessage($"{toNull}: is not a regular file (a FIFO, device or socket)*");
        new FileInfo(toNull).LinkTarget.Should().Be("/dev/null");
        Directory.GetFiles(folder.Path).Select(Path.GetFileName).Should().BeEquivalentTo("notes.fmj", "m.fmj", "null.onnx");
    }

    private static Module TrainedLooking(string architecture, int seed)
    {
        var network = Architectures.Create(architecture, new SeededRandom((ulong)seed));
        MoveRunningStatistics(network, seed);
        network.Eval();
        return network;
    }

    /// <summary>
    /// Random γ, β and biases, and two training-mode forwards that move BatchNorm's running statistics away from
    /// (0, 1), so that the folding is exercised as with a trained network.
    /// </summary>
    private static void MoveRunningStatistics(Module network, int seed, int side = 48)
    {
        var rng = new SeededRandom((ulong)seed + 1000);
        foreach (var p in network.Parameters().Where(p => p.Value.Rank == 1))
        {
            foreach (ref float v in p.Value.Span)
            {
                v += (float)(0.2 * rng.NextGaussian());
            }
        }

        network.Train();
        for (int i = 0; i < 2; i++)
        {
            network.Forward(new Tensor(TestData.Floats(4 * side * side, (ulong)(seed + i)), 4, 1, side, side));
        }
    }

    private static ModelHeader Header(string architecture) => new()
    {
        Architecture = architecture,
        Labels = Labels,
        Preprocessing = Preprocessing(48),
    };

    private static PreprocessingSettings Preprocessing(int side) =>
        new() { Width = side, Height = side, Channels = 1, Mean = [0.5077f], Std = [0.255f], CropPolicy = "face-box-1.02" };

    private static float MaxDifference(float[] a, float[] b)
    {
        a.Length.Should().Be(b.Length);
        float max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }
}
