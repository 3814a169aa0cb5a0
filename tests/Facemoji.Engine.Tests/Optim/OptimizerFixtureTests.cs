using Facemoji.Engine.Modules;
using Facemoji.Engine.Optim;
using Facemoji.Engine.Tensors;
using Facemoji.Engine.Tests.Fixtures;
using Xunit.Abstractions;

namespace Facemoji.Engine.Tests.Optim;

/// <summary>Three steps of each optimizer against torch.optim (tools/make_optim_fixtures.py), learning rate changing every step.</summary>
[Trait("Category", "Kernels")]
public sealed class OptimizerFixtureTests(ITestOutputHelper output)
{
    private static readonly string[] Names = ["w0", "w1", "b0", "b1"];

    [Theory]
    [InlineData("optim_sgd.fix")]
    [InlineData("optim_sgd_plain.fix")]
    [InlineData("optim_adamw.fix")]
    public void MatchesPyTorch(string fixtureName)
    {
        var fixture = FixtureFile.Load(fixtureName);
        var parameters = Names.Select(n => new Parameter(n, new Tensor(fixture.Floats($"{n}.initial"), fixture.Shape($"{n}.initial")), applyWeightDecay: n.StartsWith('w'))).ToList();
        Optimizer optimizer = fixtureName switch
        {
            "optim_sgd.fix" => new Sgd(parameters, 0.05, momentum: 0.9, weightDecay: 1e-4, nesterov: true),
            "optim_sgd_plain.fix" => new Sgd(parameters, 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 1e-4),
            _ => new AdamW(parameters, 1e-2, weightDecay: 0.05),
        };
        double[] learningRates = fixture.Values("learning_rates");

        double worst = 0;
        for (int step = 0; step < learningRates.Length; step++)
        {
            optimizer.LearningRate = learningRates[step];
            foreach (var p in parameters)
            {
                fixture.Floats($"{p.Name}.grad.{step}").AsSpan(0, p.Grad.Length).CopyTo(p.Grad.Span);
            }

            optimizer.Step();

            foreach (var p in parameters)
            {
                p.Grad.Span.ToArray().Should().Equal(fixture.Floats($"{p.Name}.grad.{step}"), "a step must leave the gradients as they were");
                double[] expected = fixture.Values($"{p.Name}.after.{step}");
                for (int i = 0; i < expected.Length; i++)
                {
                    double difference = Math.Abs(p.Value.Data[i] - expected[i]);
                    worst = Math.Max(worst, difference);
                    difference.Should().BeLessThan(2e-6 * (1 + Math.Abs(expected[i])), $"{p.Name}[{i}] after step {step + 1}");
                }
            }
        }

        optimizer.StepCount.Should().Be(learningRates.Length);
        output.WriteLine($"{fixtureName}: largest |C# - PyTorch| over {learningRates.Length} steps = {worst:E3}");
    }

    [Theory]
    [InlineData("clipped")]
    [InlineData("unclipped")]
    public void ClippingMatchesPyTorch(string caseName)
    {
        var fixture = FixtureFile.Load("optim_clip.fix");
        var parameters = Names.Select(n => new Parameter(n, new Tensor(fixture.Shape($"{caseName}.{n}.grad")))).ToList();
        foreach (var p in parameters)
        {
            fixture.Floats($"{caseName}.{p.Name}.grad").CopyTo(p.Grad.Span);
        }

        float total = GradientClipping.ClipByGlobalNorm(parameters, fixture.Values($"{caseName}.max_norm")[0]);

        double expectedTotal = fixture.Values($"{caseName}.total")[0];
        double worst = 0;
        foreach (var p in parameters)
        {
            double[] expected = fixture.Values($"{caseName}.{p.Name}.after");
            for (int i = 0; i < expected.Length; i++)
            {
                worst = Math.Max(worst, Math.Abs(p.Grad.Data[i] - expected[i]));
            }
        }

        output.WriteLine($"clip {caseName}: total {total} vs {expectedTotal} (diff {Math.Abs(total - expectedTotal):E3}); largest gradient diff {worst:E3}");
        ((double)total).Should().BeApproximately(expectedTotal, 1e-6 * expectedTotal);
        worst.Should().BeLessThan(1e-6);
    }
}
