using Facemoji.Engine.Modules;
using Facemoji.Engine.Optim;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tensors;
using Facemoji.Engine.Tests.Support;

namespace Facemoji.Engine.Tests.Optim;

public sealed class OptimizerStateTests
{
    private static readonly Func<IEnumerable<Parameter>, Optimizer>[] Factories =
    [
        ps => new Sgd(ps, 0.1, momentum: 0.9, weightDecay: 1e-4, nesterov: true),
        ps => new AdamW(ps, 1e-2, weightDecay: 0.05),
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ResumedOptimizerContinuesBitIdentically(int factory)
    {
        var schedule = new CosineWarmupSchedule(0.05, 3, 20);
        var uninterrupted = new TinyRegression(5, 3, new SeededRandom(7));
        var uninterruptedOptimizer = Factories[factory](uninterrupted.Parameters());
        var data = new SeededRandom(11);
        for (int step = 0; step < 6; step++)
        {
            TinyTraining.Step(uninterrupted, uninterruptedOptimizer, data, schedule.LearningRateAt(step));
        }

        // Snapshot the model, the optimizer and the data generator, then rebuild everything from the snapshot.
        var resumed = new TinyRegression(5, 3, new SeededRandom(999));
        foreach (var ((_, from), (_, to)) in uninterrupted.NamedParameters().Zip(resumed.NamedParameters()))
        {
            from.Value.Span.CopyTo(to.Value.Span);
        }

        foreach (var ((_, from), (_, to)) in uninterrupted.NamedBuffers().Zip(resumed.NamedBuffers()))
        {
            from.Span.CopyTo(to.Span);
        }

        var resumedOptimizer = Factories[factory](resumed.Parameters());
        resumedOptimizer.LoadState(uninterruptedOptimizer.SaveState());
        var resumedData = SeededRandom.FromState(data.SaveState());
        resumedOptimizer.StepCount.Should().Be(6);

        for (int step = 6; step < 14; step++)
        {
            TinyTraining.Step(uninterrupted, uninterruptedOptimizer, data, schedule.LearningRateAt(step));
            TinyTraining.Step(resumed, resumedOptimizer, resumedData, schedule.LearningRateAt(step));
        }

        foreach (var ((name, a), (_, b)) in uninterrupted.NamedParameters().Zip(resumed.NamedParameters()))
        {
            b.Value.Span.ToArray().Should().Equal(a.Value.Span.ToArray(), $"{name} must match bit for bit");
        }
    }

    [Fact]
    public void SavedStateIsACopy()
    {
        var model = new TinyRegression(5, 3, new SeededRandom(7));
        var optimizer = new AdamW(model.Parameters());
        TinyTraining.Step(model, optimizer, new SeededRandom(1), 1e-2);
        var state = optimizer.SaveState();
        float before = state.Buffers[0].Value.Data[0];
        TinyTraining.Step(model, optimizer, new SeededRandom(2), 1e-2);
        state.Buffers[0].Value.Data[0].Should().Be(before);
        state.Buffers.Select(b => b.Name).Should().Equal("exp_avg.0", "exp_avg.1", "exp_avg_sq.0", "exp_avg_sq.1");
    }

    [Fact]
    public void RejectsStateOfAnotherAlgorithmOrShape()
    {
        var model = new TinyRegression(5, 3, new SeededRandom(7));
        var adam = new AdamW(model.Parameters());
        var sgd = new Sgd(model.Parameters(), 0.1, momentum: 0.9);
        TinyTraining.Step(model, sgd, new SeededRandom(1), 0.1);

        adam.Invoking(a => a.LoadState(sgd.SaveState())).Should().Throw<FacemojiException>().WithMessage("*sgd*adamw*");

        var other = new TinyRegression(4, 3, new SeededRandom(7));
        var otherSgd = new Sgd(other.Parameters(), 0.1, momentum: 0.9);
        otherSgd.Invoking(o => o.LoadState(sgd.SaveState())).Should().Throw<FacemojiException>().WithMessage("*momentum.0*shape*");
        otherSgd.StepCount.Should().Be(0, "a rejected state changes nothing");
    }

    [Fact]
    public void WeightDecayIsSkippedForParametersThatOptOut()
    {
        var decayed = new Parameter("w", new Tensor([2f, -4f], 2));
        var plain = new Parameter("b", new Tensor([2f, -4f], 2), applyWeightDecay: false);
        new AdamW([decayed, plain], learningRate: 0.1, weightDecay: 0.5).Step();

        // Zero gradients: AdamW's moments stay zero, so only the decay moves a parameter: p·(1 − 0.1·0.5).
        decayed.Value.Span.ToArray().Should().Equal(2f * 0.95f, -4f * 0.95f);
        plain.Value.Span.ToArray().Should().Equal(2f, -4f);

        var sgdDecayed = new Parameter("w", new Tensor([2f], 1));
        var sgdPlain = new Parameter("b", new Tensor([2f], 1), applyWeightDecay: false);
        new Sgd([sgdDecayed, sgdPlain], 0.5, weightDecay: 0.1).Step();
        sgdDecayed.Value.Data[0].Should().Be(2f - 0.5f * (0.1f * 2f));
        sgdPlain.Value.Data[0].Should().Be(2f);
    }

    [Fact]
    public void ClippingScalesToTheLimitAndReturnsTheNormBefore()
    {
        var a = new Parameter("a", new Tensor(3));
        var b = new Parameter("b", new Tensor(1));
        a.Grad.Span[0] = 3f;
        a.Grad.Span[2] = 4f;
        b.Grad.Span[0] = 12f; // total norm sqrt(9 + 16 + 144) = 13
        GradientClipping.ClipByGlobalNorm([a, b], 26).Should().Be(13f);
        a.Grad.Span.ToArray().Should().Equal(3f, 0f, 4f);

        GradientClipping.ClipByGlobalNorm([a, b], 1.3).Should().Be(13f);
        double norm = Math.Sqrt(a.Grad.Span.ToArray().Concat(b.Grad.Span.ToArray()).Sum(g => (double)g * g));
        norm.Should().BeApproximately(1.3, 1e-6);

        b.Grad.Span[0] = float.NaN;
        float.IsNaN(GradientClipping.ClipByGlobalNorm([a, b], 1.0)).Should().BeTrue();
    }

    [Fact]
    public void RejectsBadSettings()
    {
        var p = new[] { new Parameter("p", new Tensor(1)) };
        FluentActions.Invoking(() => new Sgd(p, 0.1, nesterov: true)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new Sgd([], 0.1)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new Sgd([p[0], p[0]], 0.1)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new AdamW(p, beta1: 1.0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new Sgd(p, double.NaN)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void StepsAndClippingDoNotAllocate()
    {
        var parameters = new[] { new Parameter("w", new Tensor(64, 33)), new Parameter("b", new Tensor(17), applyWeightDecay: false) };
        foreach (var p in parameters)
        {
            p.Grad.Span.Fill(0.25f);
        }

        foreach (var optimizer in new Optimizer[] { new Sgd(parameters, 0.1, momentum: 0.9, weightDecay: 1e-4, nesterov: true), new AdamW(parameters, 1e-3) })
        {
            optimizer.Step(); // first steps take other branches; warm every path up
            optimizer.Step();
            GradientClipping.ClipByGlobalNorm(optimizer.Parameters, 0.5);
            long perStep = AllocationMeter.BytesPerRun(() =>
            {
                GradientClipping.ClipByGlobalNorm(optimizer.Parameters, 0.5);
                optimizer.Step();
            });
            perStep.Should().Be(0, $"{optimizer.Algorithm} must not allocate per step");
        }
    }
}
