using Facemoji.Engine.Modules;
using Facemoji.Engine.Networks;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tensors;
using Facemoji.Engine.Tests.Support;

namespace Facemoji.Engine.Tests.Networks;

public sealed class ArchitecturesTests
{
    [Fact]
    public void BenchVgg8HasExactlyTheSpecifiedParameterCount()
    {
        var net = Architectures.Create("bench-vgg8", new SeededRandom(1));
        net.Parameters().Sum(p => (long)p.Value.Length).Should().Be(1_174_439);
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    [Trait("Category", "Slow")]
    public void EveryArchitectureMapsFacesToSevenLogitsAndBack(string name)
    {
        var net = Architectures.Create(name, new SeededRandom(2));
        var x = new Tensor(TestData.Floats(48 * 48, 3), 1, 1, 48, 48);
        var logits = net.Forward(x);
        logits.Shape.Should().Equal(1, 7);
        logits.Span.ToArray().Should().OnlyContain(v => float.IsFinite(v));
        net.Backward(new Tensor(TestData.Floats(7, 4), 1, 7));
        foreach (var (pname, p) in net.NamedParameters())
        {
            float[] grad = p.Grad.Span.ToArray();
            grad.Should().OnlyContain(g => float.IsFinite(g), pname);
            if (p.Value.Rank == 4)
            {
                grad.Should().Contain(g => g != 0f, $"{pname}: every convolution receives a gradient");
            }
        }
    }

    public static TheoryData<string> AllNames() => new(Architectures.Names);

    [Fact]
    public void TheSameSeedGivesTheSameNetworkAndAnotherSeedAnother()
    {
        float[] Weights(ulong seed) => Architectures.Create("bench-vgg8", new SeededRandom(seed)).Parameters().SelectMany(p => p.Value.Span.ToArray()).ToArray();
        Weights(7).Should().Equal(Weights(7));
        Weights(7).Should().NotEqual(Weights(8));
    }

    [Fact]
    public void UnknownArchitectureIsAClearError()
    {
        var act = () => Architectures.Create("nope", new SeededRandom(1));
        act.Should().Throw<FacemojiException>().WithMessage("*nope*bench-vgg8*");
    }

    [Fact]
    public void BiasesAndBatchNormParametersHaveNoWeightDecay()
    {
        var net = Architectures.Create("bench-vgg8", new SeededRandom(1));
        foreach (var (name, p) in net.NamedParameters())
        {
            bool decayed = name.EndsWith(".weight", StringComparison.Ordinal) && !name.Contains(".bn.", StringComparison.Ordinal);
            p.ApplyWeightDecay.Should().Be(decayed, name);
        }
    }
}
