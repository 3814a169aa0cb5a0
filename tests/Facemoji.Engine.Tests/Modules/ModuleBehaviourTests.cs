using Facemoji.Engine.Modules;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tensors;
using Facemoji.Engine.Tests.Support;

namespace Facemoji.Engine.Tests.Modules;

public sealed class ModuleBehaviourTests
{
    [Fact]
    public void DefaultInitialisationUsesTheOneOverSqrtFanInBound()
    {
        var conv = new Conv2d(8, 16, 3, new SeededRandom(1));
        float bound = 1f / MathF.Sqrt(8 * 9);
        conv.Weight.Value.Span.ToArray().Should().OnlyContain(v => Math.Abs(v) <= bound);
        conv.Weight.Value.Span.ToArray().Max().Should().BeGreaterThan(bound * 0.95f, "uniform over the whole range");
        conv.Bias!.Value.Span.ToArray().Should().OnlyContain(v => Math.Abs(v) <= bound);
        conv.Bias.ApplyWeightDecay.Should().BeFalse();
        var bn = new BatchNorm2d(4);
        bn.Weight.Value.Span.ToArray().Should().OnlyContain(v => v == 1f);
        bn.Bias.Value.Span.ToArray().Should().OnlyContain(v => v == 0f);
        bn.RunningVar.Span.ToArray().Should().OnlyContain(v => v == 1f);
    }

    [Fact]
    public void FusedConvBnInEvalEqualsSeparateConvBatchNormRelu()
    {
        var rng = new SeededRandom(3);
        var fused = new ConvBn(3, 5, 3, rng, stride: 2, padding: 1);
        var conv = new Conv2d(3, 5, 3, rng, stride: 2, padding: 1, bias: false);
        var bn = new BatchNorm2d(5);
        var separate = new Sequential(conv, bn, new ReLU());
        fused.Conv.Weight.Value.Span.CopyTo(conv.Weight.Value.Span);
        var x = new Tensor(TestData.Floats(4 * 3 * 9 * 7, 4), 4, 3, 9, 7);
        // A few training steps move the running statistics away from (0, 1), then both are evaluated.
        for (int i = 0; i < 3; i++)
        {
            fused.Forward(x);
            separate.Forward(x);
        }

        TestData.MaxScaledDifference(fused.Norm.RunningMean.Span, bn.RunningMean.Span).Should().BeLessThan(1e-6);
        fused.Eval();
        separate.Eval();
        TestData.MaxScaledDifference(fused.Forward(x).Span, separate.Forward(x).Span).Should().BeLessThan(1e-5);
        fused.Invoking(f => f.Backward(new Tensor(4, 5, 5, 4))).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void SmallEvalBatchesRunTheDirectKernelAndAgreeWithTheGemmPathAndSeeNewParametersAfterEval()
    {
        var rng = new SeededRandom(8);
        var fused = new ConvBn(3, 6, 3, rng, padding: 1);
        int batch = ConvBn.DirectMaxBatch + 1;
        var x = new Tensor(TestData.Floats(batch * 3 * 7 * 5, 9), batch, 3, 7, 5);
        fused.Forward(x);
        fused.Eval();
        int image = 6 * 7 * 5;
        float[] gemm = fused.Forward(x).Span.ToArray();
        var one = new Tensor(x.Span[..(3 * 7 * 5)].ToArray(), 1, 3, 7, 5);
        TestData.MaxScaledDifference(fused.Forward(one).Span, gemm.AsSpan(0, image)).Should().BeLessThan(1e-5);

        // Changed parameters are picked up after Train()/Eval() (the packed weights are rebuilt).
        fused.Train();
        fused.Conv.Weight.Value.Span[0] += 0.5f;
        fused.Norm.Bias.Value.Span[2] -= 0.25f;
        fused.Eval();
        float[] gemmAfter = fused.Forward(x).Span.ToArray();
        gemmAfter.Should().NotEqual(gemm);
        TestData.MaxScaledDifference(fused.Forward(one).Span, gemmAfter.AsSpan(0, image)).Should().BeLessThan(1e-5);
    }

    [Fact]
    public void DropoutIsTheIdentityInEvalAndDropsInTraining()
    {
        var dropout = new Dropout(0.5f, new SeededRandom(5));
        var x = new Tensor(Enumerable.Repeat(1f, 1000).ToArray(), 10, 100);
        dropout.Forward(x).Span.ToArray().Should().Contain(0f).And.Contain(2f);
        dropout.Eval();
        dropout.Forward(x).Should().BeSameAs(x);
        dropout.Backward(x).Should().BeSameAs(x);
    }

    [Fact]
    public void TrainAndEvalReachEveryDescendant()
    {
        var net = PyTorchFixtureTests.SmallNetwork(new SeededRandom(6));
        net.Eval();
        Descendants(net).Should().OnlyContain(m => !m.IsTraining);
        net.Train();
        Descendants(net).Should().OnlyContain(m => m.IsTraining);
    }

    private static IEnumerable<Module> Descendants(Module m) => m.Children().SelectMany(c => Descendants(c.Module)).Prepend(m);

    [Fact]
    public void BackwardAddsIntoParameterGradients()
    {
        var linear = new Linear(3, 2, new SeededRandom(7));
        var x = new Tensor(TestData.Floats(6, 8), 2, 3);
        var dy = new Tensor(TestData.Floats(4, 9), 2, 2);
        linear.Forward(x);
        linear.Backward(dy);
        float[] once = linear.Weight.Grad.Span.ToArray();
        linear.Backward(dy);
        linear.Weight.Grad.Span.ToArray().Should().Equal(once.Select(v => v * 2));
        linear.ZeroGrad();
        linear.Weight.Grad.Span.ToArray().Should().OnlyContain(v => v == 0f);
    }

    [Fact]
    public void WrongInputShapesAreClearErrors()
    {
        var conv = new Conv2d(3, 4, 3, new SeededRandom(1));
        conv.Invoking(c => c.Forward(new Tensor(1, 2, 5, 5))).Should().Throw<ArgumentException>().WithMessage("*3 input channels*");
        new Linear(4, 2, new SeededRandom(1)).Invoking(l => l.Forward(new Tensor(2, 5))).Should().Throw<ArgumentException>();
        new CrossEntropyLoss().Invoking(l => l.Forward(new Tensor(2, 3), [0, 3])).Should().Throw<FacemojiException>().WithMessage("*3*outside*");
    }

    [Fact]
    public void ASmallerBatchAfterALargerOneGivesTheSameResultsAsAFreshNetwork()
    {
        // Buffers are reused at a smaller batch size; results must not depend on what the larger batch left behind.
        var net = PyTorchFixtureTests.SmallNetwork(new SeededRandom(11));
        var fresh = PyTorchFixtureTests.SmallNetwork(new SeededRandom(11));
        var big = new Tensor(TestData.Floats(5 * 12 * 12, 12), 5, 1, 12, 12);
        var small = new Tensor(TestData.Floats(3 * 12 * 12, 13), 3, 1, 12, 12);
        var loss = new CrossEntropyLoss(0.1f);
        net.Forward(big);
        loss.Forward(net.Forward(big), [1, 2, 3, 4, 5]);
        net.Backward(loss.Backward());
        net.ZeroGrad();
        foreach (var (_, buffer) in net.NamedBuffers())
        {
            buffer.Span.Clear();
        }

        foreach (var ((_, a), (_, b)) in net.NamedBuffers().Zip(fresh.NamedBuffers()))
        {
            b.Span.CopyTo(a.Span);
        }

        var fromNet = net.Forward(small).Span.ToArray();
        var fromFresh = fresh.Forward(small).Span.ToArray();
        fromNet.Should().Equal(fromFresh);
        loss.Forward(net.Forward(small), [0, 1, 2]);
        var dxNet = net.Backward(loss.Backward()).Span.ToArray();
        var freshLoss = new CrossEntropyLoss(0.1f);
        freshLoss.Forward(fresh.Forward(small), [0, 1, 2]);
        var dxFresh = fresh.Backward(freshLoss.Backward()).Span.ToArray();
        dxNet.Should().Equal(dxFresh);
    }
}
