using Facemoji.Benchmarks.Detection;
using Facemoji.Expressions;
using Facemoji.Imaging;
using Facemoji.Imaging.Processing;
using Facemoji.Pipeline;

namespace Facemoji.Cli.Tests.Commands.Bench;

/// <summary>The roll measure of <c>facemoji bench detect --wild</c> (<see cref="WildCheck"/>, <see cref="WildResult"/>).</summary>
public sealed class WildRollTests
{
    [Fact]
    public void The_roll_error_goes_the_short_way_round()
    {
        WildCheck.RollError(170, -170).Should().BeApproximately(20, 1e-9);
        WildCheck.RollError(-31.5, 54.9).Should().BeApproximately(86.4, 1e-9);
        WildCheck.RollError(10, 10).Should().Be(0);
    }

    [Fact]
    public void The_median_and_the_share_of_wrong_rolls_are_per_transform()
    {
        var result = new WildResult("blazeface");
        foreach (double error in new[] { 1.0, 30.0, 3.0, 2.0 })
        {
            result.AddFace("rot+30", true, null, false, rollError: error);
        }

        result.AddFace("rot+30", false, null, false);
        result.AddFace("upright", true, null, false);

        result.RollMeasured("rot+30").Should().Be(4);
        result.MedianRollError("rot+30").Should().Be(2.5);
        result.WrongRollPercent("rot+30").Should().Be(25);
        result.FoundPercent("rot+30").Should().Be(80);
        result.RollMeasured("upright").Should().Be(0);
        result.MedianRollError("upright").Should().Be(double.NaN);
        result.WrongRollPercent("upright").Should().Be(double.NaN);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_turned_scene_adds_its_turn_to_the_roll_the_upright_scene_found()
    {
        // The astronaut's face as the only "FER2013" picture of every class: the turned scenes' found rolls must be the
        // upright one's plus the turn (the scenes turn clockwise for a positive angle, as DetectedFace.Roll counts); a
        // turn the wrong way would be off by twice the angle.
        string fer = Path.Combine(Path.GetTempPath(), $"facemoji-wild-roll-{Guid.NewGuid():N}");
        try
        {
            var face = Cropping.Crop(ColorConversion.ToGray(ImageCodecs.Load(RepositoryFiles.SamplePhoto())), new PixelRect(150, 40, 150, 150));
            foreach (var emotion in Enum.GetValues<Emotion>())
            {
                Directory.CreateDirectory(Path.Combine(fer, emotion.Name()));
                ImageCodecs.Save(Resizer.Resize(face, 48, 48, ResizeMode.Area), Path.Combine(fer, emotion.Name(), "face.png"));
            }

            string skimage = Path.GetDirectoryName(RepositoryFiles.SamplePhoto())!;
            var scenes = WildCheck.Scenes(fer, skimage, perClass: 1).Where(s => s.Transform is "upright" or "rot-30" or "rot+45");
            var result = WildCheck.Run(FaceAnalyzer.Create(new AnalyzerOptions { ModelPath = UntrainedModel.Path }), scenes);

            foreach (string transform in new[] { "rot-30", "rot+45" })
            {
                result.RollMeasured(transform).Should().BeGreaterThan(4, transform);
                result.MedianRollError(transform).Should().BeLessThan(10, transform);
            }

            result.RollMeasured("upright").Should().Be(0, "the upright scenes give the reference");
        }
        finally
        {
            Directory.Delete(fer, recursive: true);
        }
    }
}
