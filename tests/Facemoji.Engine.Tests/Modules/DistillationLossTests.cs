using Facemoji.Engine.Modules;
using Facemoji.Engine.Tensors;
using Facemoji.Engine.Tests.Fixtures;
using Facemoji.Engine.Tests.Support;
using Xunit.Abstractions;

namespace Facemoji.Engine.Tests.Modules;

/// <summary>
/// <see cref="DistillationLoss"/> against PyTorch 1.13 (tools/make_engine_fixtures.py, distillation_fixtures, float64):
/// the two-teacher soft targets, T²·kl_div(batchmean) and its gradient at several temperatures, one-hot targets,
/// and the trainer's blend with the label-smoothed, class-weighted cross-entropy.
/// </summary>
public sealed class DistillationLossTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    private void Check(string what, ReadOnlySpan<float> actual, double[] expected)
    {
        double difference = TestData.MaxScaledDifference(actual, expected);
        output.WriteLine($"{what}: largest scaled difference {difference:E2}");
        difference.Should().BeLessThan(Tolerance, what);
    }

    private static Tensor Load(FixtureFile f, string name) => new(f.Floats(name), f.Shape(name));

    private static Tensor SoftTargets(FixtureFile f, DistillationLoss loss)
    {
        var q = new Tensor(f.Shape("logits"));
        loss.AddSoftTargets(Load(f, "teacher0"), q, 0.5f);
        loss.AddSoftTargets(Load(f, "teacher1"), q, 0.5f);
        return q;
    }

    [Theory]
    [InlineData("t1", 1f)]
    [InlineData("t4", 4f)]
    [InlineData("t2_5", 2.5f)]
    public void The_soft_loss_of_a_two_teacher_ensemble_matches_PyTorch(string tag, float temperature)
    {
        var f = FixtureFile.Load("distillation.fix");
        var loss = new DistillationLoss(temperature, 1f);
        var q = SoftTargets(f, loss);
        Check($"soft targets {tag}", q.Span, f.Values("q." + tag));
        float value = loss.Forward(Load(f, "logits"), q);
        Check($"loss {tag}", [value], f.Values("loss." + tag));
        Check($"dlogits {tag}", loss.Backward().Span, f.Values("grad." + tag));
    }

    [Fact]
    public void One_hot_soft_targets_at_temperature_one_give_PyTorchs_kl_div()
    {
        var f = FixtureFile.Load("distillation.fix");
        var q = new Tensor(f.Shape("logits"));
        int c = q[1];
        double[] targets = f.Values("targets");
        for (int b = 0; b < q[0]; b++)
        {
            q.Span[(b * c) + (int)targets[b]] = 1f;
        }

        var loss = new DistillationLoss(1f, 1f);
        Check("one-hot loss", [loss.Forward(Load(f, "logits"), q)], f.Values("loss.onehot"));
        Check("one-hot dlogits", loss.Backward().Span, f.Values("grad.onehot"));
    }

    [Theory]
    [InlineData("blend0", 0f)]
    [InlineData("blend0.5", 0.5f)]
    [InlineData("blend0.9", 0.9f)]
    [InlineData("blend1", 1f)]
    public void The_blend_with_the_hard_loss_matches_PyTorch(string tag, float weight)
    {
        var f = FixtureFile.Load("distillation.fix");
        var loss = new DistillationLoss(4f, weight);
        var hard = new CrossEntropyLoss(0.1f, f.Floats("weights"));
        var logits = Load(f, "logits");
        float hardLoss = hard.Forward(logits, f.Values("targets").Select(v => (int)v).ToArray());
        loss.Forward(logits, SoftTargets(f, loss));
        var gradient = hard.Backward();
        float value = loss.Blend(hardLoss, gradient);
        Check($"{tag} loss", [value], f.Values("loss." + tag));
        Check($"{tag} dlogits", gradient.Span, f.Values("grad." + tag));
    }

    [Theory]
    [InlineData(0f, 0.5f, "temperature")]
    [InlineData(-1f, 0.5f, "temperature")]
    [InlineData(float.NaN, 0.5f, "temperature")]
    [InlineData(float.PositiveInfinity, 0.5f, "temperature")]
    [InlineData(4f, -0.1f, "weight")]
    [InlineData(4f, 1.5f, "weight")]
    [InlineData(4f, float.NaN, "weight")]
    public void Bad_settings_are_refused(float temperature, float weight, string what)
    {
        var create = () => new DistillationLoss(temperature, weight);
        create.Should().Throw<FacemojiException>().WithMessage($"The distillation {what} must be*");
    }
}
