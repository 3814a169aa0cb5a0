using Facemoji.Engine;
using Facemoji.Engine.Networks;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Serialization;
using Facemoji.Expressions;
using Facemoji.Training.Data;
using Facemoji.Training.Evaluation;
using Facemoji.Training.Tests.Data;

namespace Facemoji.Training.Tests.Evaluation;

/// <summary><c>facemoji evaluate</c>'s rules, in the library: bad values refused before anything is read; the reports and files asked for.</summary>
public sealed class EvaluationRunTests
{
    private static string UntrainedModel(TempFolder temp)
    {
        string path = temp.Combine("untrained.fmj");
        ModelFile.Save(path, Architectures.Create("bench-vgg8", new SeededRandom(3)), new ModelHeader
        {
            Architecture = "bench-vgg8",
            Labels = EmotionNames.Canonical,
            Preprocessing = new PreprocessingSettings { Width = 48, Height = 48, Channels = 1, Mean = [0.5f], Std = [0.25f], CropPolicy = "face-box-1.02" },
        });
        return path;
    }

    [Theory]
    [InlineData(true, true, 8, "test", "--tta and --ten-crop")]
    [InlineData(false, false, 0, "test", "--batch-size")]
    [InlineData(false, false, 100_000_000, "test", "--batch-size must be 1 to 4096, not 100000000")]
    [InlineData(false, false, 8, "holdout", "--split")]
    public void A_bad_value_is_refused_before_the_model_is_read(bool tta, bool tenCrop, int batchSize, string split, string named)
    {
        var request = new EvaluationRequest { ModelPath = "/no/such/model.fmj", Data = "/no/such/faces.csv", TestTimeAugmentation = tta, TenCrop = tenCrop, BatchSize = batchSize, Split = split };
        var act = () => EvaluationRun.Run(request, _ => { });
        act.Should().Throw<FacemojiException>().WithMessage($"*{named}*");
    }

    [Fact]
    public void A_run_reports_every_image_and_writes_both_svgs_when_asked()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.Combine("faces.csv"), TinyCsv.Build(Enumerable.Range(0, 14).Select(i => (i % 7, (string?)(i < 7 ? "Training" : "PrivateTest")))));
        var lines = new List<string>();
        var request = new EvaluationRequest
        {
            ModelPath = UntrainedModel(temp),
            Data = temp.Combine("faces.csv"),
            BatchSize = 5,
            ConfusionChartPath = temp.Combine("confusion.svg"),
            Load = new DatasetLoadOptions { UseCache = false },
        };

        var result = EvaluationRun.Run(request, lines.Add, path => $"described {Path.GetFileName(path)}");

        lines[0].Should().Be("model: described untrained.fmj");
        result.Report.N.Should().Be(7, "the test split");
        result.ToJson()["accuracy"].Should().NotBeNull();
        result.ToJson()["temperature"].Should().NotBeNull();
        File.Exists(result.ConfusionChartPath).Should().BeTrue();
        File.Exists(result.ReliabilityChartPath).Should().BeTrue();

        var none = EvaluationRun.Run(request with { ConfusionChartPath = "none" }, _ => { });
        none.ConfusionChartPath.Should().BeNull();
    }
}
