using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tensors;
using Facemoji.Training.Augmentation;
using Facemoji.Training.Data;
using Facemoji.Training.Runs;
using Facemoji.Training.Tests.Runs;

namespace Facemoji.Training.Tests.Augmentation;

/// <summary>The webcam / phone degradations: each effect does what it says, the default recipe draws exactly as before, and a run with them resumes exactly.</summary>
[Collection(GlobalThreadSettingsCollection.Name)]
public sealed class CameraAugmentationTests
{
    private const int Side = FerDataset.Side;

    private static float[] Constant(float value) => Enumerable.Repeat(value, Side * Side).ToArray();

    [Fact]
    public void Gamma_raises_every_pixel_to_its_power()
    {
        var image = Constant(0.25f);
        CameraAugmentation.Apply(image, CameraEffects.None with { Gamma = 2 });
        image.Should().OnlyContain(v => Math.Abs(v - 0.0625f) < 1e-6f);
    }

    [Fact]
    public void Blur_spreads_a_point_and_keeps_its_mass()
    {
        var image = new float[Side * Side];
        image[24 * Side + 24] = 1;
        CameraAugmentation.Apply(image, CameraEffects.None with { BlurSigma = 1 });
        image[24 * Side + 24].Should().BeInRange(0.1f, 0.3f);
        image[24 * Side + 25].Should().BeGreaterThan(0.05f);
        image.Sum().Should().BeApproximately(1f, 1e-4f);
    }

    [Fact]
    public void Jpeg_changes_a_noisy_image_but_keeps_its_mean()
    {
        var rng = new SeededRandom(5);
        var image = Enumerable.Range(0, Side * Side).Select(_ => rng.NextFloat(0.2f, 0.8f)).ToArray();
        var before = (float[])image.Clone();
        CameraAugmentation.Apply(image, CameraEffects.None with { JpegQuality = 10 });
        image.Zip(before).Sum(p => Math.Abs(p.First - p.Second)).Should().BeGreaterThan(Side * Side * 0.05f);
        image.Average().Should().BeApproximately(before.Average(), 0.02f);
    }

    [Fact]
    public void Noise_has_the_drawn_spread_and_depends_only_on_its_seed()
    {
        var a = Constant(0.5f);
        var b = Constant(0.5f);
        CameraAugmentation.Apply(a, CameraEffects.None with { NoiseStd = 0.05f, NoiseSeed = 9 });
        CameraAugmentation.Apply(b, CameraEffects.None with { NoiseStd = 0.05f, NoiseSeed = 9 });
        a.Should().Equal(b);
        double std = Math.Sqrt(a.Average(v => (v - 0.5) * (v - 0.5)));
        std.Should().BeApproximately(0.05, 0.005);
    }

    [Fact]
    public void Occlusion_fills_its_rectangle_with_one_gray()
    {
        var image = Constant(0.9f);
        CameraAugmentation.Apply(image, CameraEffects.None with { OcclusionX = 10, OcclusionY = 30, OcclusionWidth = 20, OcclusionHeight = 18, OcclusionGray = 0.2f });
        image.Count(v => v == 0.2f).Should().Be(20 * 18);
        image[31 * Side + 12].Should().Be(0.2f);
        image[29 * Side + 12].Should().Be(0.9f);
    }

    [Fact]
    public void Drawn_effects_stay_in_range_and_occluders_touch_an_edge()
    {
        var rng = new SeededRandom(3);
        var o = AugmentationOptions.Webcam;
        for (int i = 0; i < 2000; i++)
        {
            var e = CameraAugmentation.Draw(o, rng);
            e.Gamma.Should().BeInRange(1 / 1.5f - 1e-5f, 1.5f + 1e-5f);
            e.BlurSigma.Should().BeInRange(0, o.MaxBlurSigma);
            (e.JpegQuality == 0 || e.JpegQuality >= o.MinJpegQuality && e.JpegQuality <= o.MaxJpegQuality).Should().BeTrue();
            if (e.HasOcclusion)
            {
                (e.OcclusionX == 0 || e.OcclusionY + e.OcclusionHeight == Side || e.OcclusionX + e.OcclusionWidth == Side).Should().BeTrue();
                (e.OcclusionX + e.OcclusionWidth).Should().BeLessThanOrEqualTo(Side);
            }
        }
    }

    [Fact]
    public void Without_camera_effects_the_draws_are_exactly_the_old_ones()
    {
        var augmenter = new Augmenter(new AugmentationOptions(), Normalization.Fer2013);
        var a = new SampleTransform[50];
        var b = new SampleTransform[50];
        var effects = new CameraEffects[50];
        var first = new SeededRandom(8);
        var second = new SeededRandom(8);
        augmenter.Draw(first, a);
        augmenter.Draw(second, b, effects);
        b.Should().Equal(a);
        effects.Should().OnlyContain(e => e.IsIdentity);
        second.NextUInt64().Should().Be(first.NextUInt64(), "the generators are at the same place");
    }

    [Fact]
    public void A_webcam_batch_is_the_same_whatever_the_thread_count_and_differs_from_the_default_recipe()
    {
        var data = SyntheticFaces.Make(10, 4);
        int[] indices = Enumerable.Range(0, 70).ToArray();
        var webcam = new Augmenter(AugmentationOptions.Webcam, Normalization.Fer2013);
        var a = new Tensor(70, 1, Side, Side);
        var b = new Tensor(70, 1, Side, Side);
        var plain = new Tensor(70, 1, Side, Side);
        webcam.Augment(data, indices, new SeededRandom(42), a);
        GlobalThreadSettingsCollection.OnOneThread(() => webcam.Augment(data, indices, new SeededRandom(42), b));

        new Augmenter(new AugmentationOptions(), Normalization.Fer2013).Augment(data, indices, new SeededRandom(42), plain);
        a.Span.ToArray().Should().Equal(b.Span.ToArray());
        a.Span.ToArray().Should().NotEqual(plain.Span.ToArray());
        a.Span.ToArray().Should().OnlyContain(v => float.IsFinite(v));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_webcam_run_resumes_exactly()
    {
        using var temp = new TempFolder();
        var train = SyntheticFaces.Make(8, 1, "synthetic train");
        var validation = SyntheticFaces.Make(3, 2, "synthetic val");
        var options = new TrainingOptions { Epochs = 2, BatchSize = 14, WarmupEpochs = 0.5, Seed = 5, EarlyStoppingPatience = 0, Augmentation = AugmentationOptions.Webcam };
        var straight = new Trainer(new RecordingMonitor()).Train(train, validation, options, temp.Combine("a", "model.fmj"));
        string interruptedPath = temp.Combine("b", "model.fmj");
        var first = new Trainer(new RecordingMonitor(), interruptAfterEpoch: 1).Train(train, validation, options, interruptedPath);
        Trainer.ReadOptions(first.CheckpointPath).Augmentation.Should().Be(AugmentationOptions.Webcam);

        var resumed = new Trainer(new RecordingMonitor()).Resume(train, validation, first.CheckpointPath, interruptedPath);

        resumed.History.Select(r => (r.TrainLoss, r.ValidationLoss)).Should().Equal(straight.History.Select(r => (r.TrainLoss, r.ValidationLoss)));
        var x = Facemoji.Engine.Serialization.TrainingCheckpoint.Load(straight.CheckpointPath).Model.Tensors;
        var y = Facemoji.Engine.Serialization.TrainingCheckpoint.Load(resumed.CheckpointPath).Model.Tensors;
        for (int i = 0; i < x.Count; i++)
        {
            y[i].Value.Span.ToArray().Should().Equal(x[i].Value.Span.ToArray(), x[i].Name);
        }
    }
}
