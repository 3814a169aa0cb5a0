using Facemoji.Engine.Randomness;
using Facemoji.Engine.Serialization;
using Facemoji.Engine.Tensors;
using Facemoji.Training.Augmentation;
using Facemoji.Training.Data;
using Facemoji.Training.Runs;

namespace Facemoji.Training.Tests.Runs;

/// <summary>Class-balanced sampling, mixup and cutmix: what each does, that the defaults draw as before, and that a run with all three resumes exactly.</summary>
public sealed class EpochOrderAndMixingTests
{
    private const int Plane = FerDataset.PixelsPerImage;

    /// <summary>700 happy images, 70 of each other class but disgust, 7 disgust.</summary>
    private static FerDataset Imbalanced()
    {
        var labels = new List<byte>();
        for (int c = 0; c < 7; c++)
        {
            labels.AddRange(Enumerable.Repeat((byte)c, c == 3 ? 700 : c == 1 ? 7 : 70));
        }

        return new FerDataset(new byte[labels.Count * Plane], labels.ToArray(), "imbalanced");
    }

    [Fact]
    public void Shuffle_is_the_old_seeded_permutation()
    {
        var data = Imbalanced();
        var expected = Enumerable.Range(0, data.Count).ToArray();
        new SeededRandom(4).Shuffle(expected.AsSpan());
        EpochOrder.Next(data, SamplingKind.Shuffle, new SeededRandom(4)).Should().Equal(expected);
    }

    [Fact]
    public void Balanced_sampling_draws_every_class_about_equally()
    {
        var data = Imbalanced();
        var order = EpochOrder.Next(data, SamplingKind.ClassBalanced, new SeededRandom(4));
        order.Should().HaveCount(data.Count).And.OnlyContain(i => i >= 0 && i < data.Count);
        var perClass = order.GroupBy(i => data.Labels[i]).ToDictionary(g => g.Key, g => g.Count());
        perClass.Should().HaveCount(7);
        perClass.Values.Should().OnlyContain(n => n > data.Count / 7 * 0.8 && n < data.Count / 7 * 1.2);
        order.Where(i => data.Labels[i] == 1).Distinct().Count().Should().Be(7, "every disgust image is drawn, many times over");
    }

    private static Tensor Batch(int n, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var t = new Tensor(n, 1, 48, 48);
        var span = t.Span;
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = rng.NextFloat(-1, 1);
        }

        return t;
    }

    [Fact]
    public void Mixup_blends_each_image_with_its_partner_by_lambda()
    {
        var batch = Batch(6, 1);
        var original = batch.Span.ToArray();
        int[] targets = [0, 1, 2, 3, 4, 5];

        var mix = BatchMixing.Apply(batch, targets, mixupAlpha: 0.4, cutMixAlpha: 0, new SeededRandom(2))!;

        mix.IsCutMix.Should().BeFalse();
        mix.Lambda.Should().BeInRange(0, 1);
        mix.PartnerTargets.Should().Equal(5, 4, 3, 2, 1, 0);
        for (int p = 0; p < Plane; p += 97)
        {
            batch.Span[p].Should().BeApproximately(mix.Lambda * original[p] + (1 - mix.Lambda) * original[5 * Plane + p], 1e-5f);
        }
    }

    [Fact]
    public void Cutmix_pastes_a_rectangle_of_the_partner_and_lambda_is_the_share_kept()
    {
        for (ulong seed = 0; seed < 20; seed++)
        {
            var batch = Batch(4, 1);
            var original = batch.Span.ToArray();
            var mix = BatchMixing.Apply(batch, [0, 1, 2, 3], mixupAlpha: 0, cutMixAlpha: 1, new SeededRandom(seed))!;
            mix.IsCutMix.Should().BeTrue();
            int fromSelf = 0, fromPartner = 0;
            for (int p = 0; p < Plane; p++)
            {
                float v = batch.Span[p];
                if (v == original[p])
                {
                    fromSelf++;
                }
                else
                {
                    v.Should().Be(original[3 * Plane + p]);
                    fromPartner++;
                }
            }

            ((float)fromSelf / Plane).Should().BeApproximately(mix.Lambda, 1e-6f);
        }
    }

    [Fact]
    public void Off_mixing_changes_nothing_and_draws_nothing()
    {
        var batch = Batch(4, 1);
        var original = batch.Span.ToArray();
        var rng = new SeededRandom(7);
        BatchMixing.Apply(batch, [0, 1, 2, 3], 0, 0, rng).Should().BeNull();
        batch.Span.ToArray().Should().Equal(original);
        rng.NextUInt64().Should().Be(new SeededRandom(7).NextUInt64());
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(1.0)]
    [InlineData(4.0)]
    public void Beta_samples_are_in_range_with_mean_one_half_and_the_right_spread(double alpha)
    {
        var rng = new SeededRandom(3);
        var samples = Enumerable.Range(0, 20_000).Select(_ => BatchMixing.SampleBeta(alpha, rng)).ToArray();
        samples.Should().OnlyContain(x => x >= 0 && x <= 1);
        samples.Average().Should().BeApproximately(0.5, 0.01);
        double variance = samples.Average(x => (x - 0.5) * (x - 0.5));
        variance.Should().BeApproximately(1 / (4 * (2 * alpha + 1)), 0.01, "Var Beta(a, a) = 1 / (4 (2a + 1))");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_run_with_balanced_sampling_mixup_and_cutmix_learns_nothing_strange_and_resumes_exactly()
    {
        using var temp = new TempFolder();
        var train = SyntheticFaces.Make(8, 1, "synthetic train");
        var validation = SyntheticFaces.Make(3, 2, "synthetic val");
        var options = new TrainingOptions
        {
            Epochs = 2, BatchSize = 14, WarmupEpochs = 0.5, Seed = 6, EarlyStoppingPatience = 0,
            Sampling = SamplingKind.ClassBalanced, MixupAlpha = 0.4, CutMixAlpha = 1,
        };
        var straight = new Trainer(new RecordingMonitor()).Train(train, validation, options, temp.Combine("a", "model.fmj"));
        straight.History.Should().OnlyContain(r => double.IsFinite(r.TrainLoss) && r.TrainLoss > 0);

        string interruptedPath = temp.Combine("b", "model.fmj");
        var first = new Trainer(new RecordingMonitor(), interruptAfterEpoch: 1).Train(train, validation, options, interruptedPath);
        Trainer.ReadOptions(first.CheckpointPath).Should().Be(options);
        var resumed = new Trainer(new RecordingMonitor()).Resume(train, validation, first.CheckpointPath, interruptedPath);

        resumed.History.Select(r => (r.TrainLoss, r.ValidationLoss)).Should().Equal(straight.History.Select(r => (r.TrainLoss, r.ValidationLoss)));
        var x = TrainingCheckpoint.Load(straight.CheckpointPath).Model.Tensors;
        var y = TrainingCheckpoint.Load(resumed.CheckpointPath).Model.Tensors;
        for (int i = 0; i < x.Count; i++)
        {
            y[i].Value.Span.ToArray().Should().Equal(x[i].Value.Span.ToArray(), x[i].Name);
        }
    }
}
