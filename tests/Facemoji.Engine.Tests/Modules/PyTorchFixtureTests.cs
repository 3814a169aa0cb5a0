using Facemoji.Engine.Modules;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tensors;
using Facemoji.Engine.Tests.Fixtures;
using Facemoji.Engine.Tests.Support;
using Xunit.Abstractions;

namespace Facemoji.Engine.Tests.Modules;

/// <summary>
/// Every layer, the loss and a small whole network against PyTorch 1.13 (tools/make_engine_fixtures.py, computed
/// in float64). Our modules run in float32, so agreement is to about 1e-5 of the value's scale.
/// </summary>
public sealed class PyTorchFixtureTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    private double worst;

    private void Check(string what, ReadOnlySpan<float> actual, double[] expected, double tolerance = Tolerance)
    {
        double difference = TestData.MaxScaledDifference(actual, expected);
        worst = Math.Max(worst, difference);
        output.WriteLine($"{what}: largest scaled difference {difference:E2}");
        difference.Should().BeLessThan(tolerance, what);
    }

    private static Tensor Load(FixtureFile f, string name) => new(f.Floats(name), f.Shape(name));

    private static void Set(Parameter p, FixtureFile f, string name) => f.Floats(name).CopyTo(p.Value.Data, 0);

    /// <summary>Runs forward and backward of a layer on the fixture's x and dy and checks y, dx and the parameter gradients.</summary>
    private void CheckLayer(FixtureFile f, Module module, string label)
    {
        module.ZeroGrad();
        var y = module.Forward(Load(f, "x"));
        y.Shape.Should().Equal(f.Shape("y"));
        Check(label + " y", y.Span, f.Values("y"));
        var dx = module.Backward(Load(f, "dy"));
        Check(label + " dx", dx.Span, f.Values("dx"));
        foreach (var (name, p) in module.NamedParameters())
        {
            Check($"{label} grad.{name}", p.Grad.Span, f.Values("grad." + name));
        }

        output.WriteLine($"{label}: largest difference overall {worst:E2}");
    }

    [Theory]
    [InlineData("conv_k3_s1_p1_bias")]
    [InlineData("conv_k3_s2_p1")]
    [InlineData("conv_k1_s1_p0_bias")]
    [InlineData("conv_k5_s2_p2")]
    [InlineData("conv_k1_s2_p0")]
    public void Conv2dMatchesPyTorch(string name)
    {
        var f = FixtureFile.Load(name + ".fix");
        int[] c = f.Values("config").Select(v => (int)v).ToArray();
        var conv = new Conv2d(c[1], c[4], c[5], new SeededRandom(1), stride: c[6], padding: c[7], bias: c[8] == 1);
        Set(conv.Weight, f, "weight");
        if (conv.Bias != null)
        {
            Set(conv.Bias, f, "bias");
        }

        CheckLayer(f, conv, name);
    }

    [Theory]
    [InlineData("batchnorm_train")]
    [InlineData("batchnorm_train_2d")]
    public void BatchNormTrainingMatchesPyTorch(string name)
    {
        var f = FixtureFile.Load(name + ".fix");
        int channels = f.Shape("weight")[0];
        var bn = new BatchNorm2d(channels);
        Set(bn.Weight, f, "weight");
        Set(bn.Bias, f, "bias");
        if (f.Contains("running_mean_before"))
        {
            f.Floats("running_mean_before").CopyTo(bn.RunningMean.Data, 0);
            f.Floats("running_var_before").CopyTo(bn.RunningVar.Data, 0);
        }

        CheckLayer(f, bn, name);
        Check(name + " running_mean", bn.RunningMean.Span, f.Values("buffer.running_mean"));
        Check(name + " running_var", bn.RunningVar.Span, f.Values("buffer.running_var"));
    }

    [Fact]
    public void BatchNormEvalMatchesPyTorch()
    {
        var f = FixtureFile.Load("batchnorm_eval.fix");
        var bn = new BatchNorm2d(3);
        Set(bn.Weight, f, "weight");
        Set(bn.Bias, f, "bias");
        f.Floats("buffer.running_mean").CopyTo(bn.RunningMean.Data, 0);
        f.Floats("buffer.running_var").CopyTo(bn.RunningVar.Data, 0);
        bn.Eval();
        CheckLayer(f, bn, "batchnorm_eval");
        Check("running_mean unchanged in eval", bn.RunningMean.Span, f.Values("buffer.running_mean"), 1e-7);
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("elu")]
    [InlineData("elu_alpha")]
    [InlineData("maxpool_k2")]
    [InlineData("maxpool_k3_s2_p1")]
    [InlineData("maxpool_k3_s1_p1")]
    [InlineData("avgpool_k2")]
    [InlineData("avgpool_k3_s2_p1")]
    [InlineData("gap")]
    [InlineData("linear")]
    [InlineData("flatten")]
    public void LayerMatchesPyTorch(string name)
    {
        var f = FixtureFile.Load(name + ".fix");
        Module module = name switch
        {
            "relu" => new ReLU(),
            "elu" => new ELU(),
            "elu_alpha" => new ELU(0.5f),
            "gap" => new GlobalAvgPool(),
            "flatten" => new Flatten(),
            "linear" => new Linear(6, 4, new SeededRandom(1)),
            _ when name.StartsWith("maxpool", StringComparison.Ordinal) => Pool(f, max: true),
            _ => Pool(f, max: false),
        };
        if (module is Linear linear)
        {
            Set(linear.Weight, f, "weight");
            Set(linear.Bias!, f, "bias");
        }

        CheckLayer(f, module, name);
    }

    private static Module Pool(FixtureFile f, bool max)
    {
        int[] c = f.Values("config").Select(v => (int)v).ToArray();
        return max ? new MaxPool2d(c[0], c[1], c[2]) : new AvgPool2d(c[0], c[1], c[2]);
    }

    [Theory]
    [InlineData("plain", 0f, false)]
    [InlineData("smooth", 0.1f, false)]
    [InlineData("weighted", 0f, true)]
    [InlineData("weighted_smooth", 0.1f, true)]
    public void CrossEntropyMatchesPyTorch(string tag, float smoothing, bool weighted)
    {
        var f = FixtureFile.Load("cross_entropy.fix");
        var loss = new CrossEntropyLoss(smoothing, weighted ? f.Floats("weights") : null);
        int[] targets = f.Values("targets").Select(v => (int)v).ToArray();
        float value = loss.Forward(Load(f, "logits"), targets);
        Check($"cross-entropy {tag} loss", [value], f.Values("loss." + tag), 1e-6);
        Check($"cross-entropy {tag} dlogits", loss.Backward().Span, f.Values("grad." + tag), 1e-6);
        Check("softmax", loss.Probabilities.Span, f.Values("softmax"), 1e-6);
    }

    /// <summary>The network of tools/make_engine_fixtures.py small_network(), with the same child names.</summary>
    internal static Sequential SmallNetwork(SeededRandom rng) => new(
        new ConvBn(1, 4, 3, rng, 1, 1),
        new MaxPool2d(2),
        new Conv2d(4, 6, 3, rng, padding: 1),
        new BatchNorm2d(6),
        new ReLU(),
        new ResidualBlock(6, 6, rng),
        new ResidualBlock(6, 8, rng, stride: 2),
        new GlobalAvgPool(),
        new Flatten(),
        new Dropout(0f, rng),
        new Linear(8, 7, rng));

    [Fact]
    public void SmallNetworkTrainingStepMatchesPyTorch()
    {
        var f = FixtureFile.Load("small_network.fix");
        var net = SmallNetwork(new SeededRandom(5));
        var parameters = net.NamedParameters().ToList();
        parameters.Select(p => "param." + p.Name).Should().BeEquivalentTo(f.Names.Where(n => n.StartsWith("param.", StringComparison.Ordinal)));
        foreach (var (name, p) in parameters)
        {
            Set(p, f, "param." + name);
        }

        foreach (var (name, buffer) in net.NamedBuffers())
        {
            f.Floats("buffer_before." + name).CopyTo(buffer.Data, 0);
        }

        var loss = new CrossEntropyLoss(0.1f, f.Floats("weights"));
        int[] targets = f.Values("targets").Select(v => (int)v).ToArray();
        net.Train();
        net.ZeroGrad();
        var logits = net.Forward(Load(f, "x"));
        Check("network logits", logits.Span, f.Values("logits"));
        float value = loss.Forward(logits, targets);
        Check("network loss", [value], f.Values("loss"));
        var dx = net.Backward(loss.Backward());
        Check("network dx", dx.Span, f.Values("dx"));
        foreach (var (name, p) in parameters)
        {
            Check("network grad." + name, p.Grad.Span, f.Values("grad." + name));
        }

        foreach (var (name, buffer) in net.NamedBuffers())
        {
            Check("network buffer " + name, buffer.Span, f.Values("buffer_after." + name));
        }

        net.Eval();
        Check("network eval logits (BatchNorm folded)", net.Forward(Load(f, "x")).Span, f.Values("eval_logits"));
        output.WriteLine($"small network: largest difference overall {worst:E2}");
    }
}
