using System.Text.Json;
using Facemoji.Training.Evaluation;

namespace Facemoji.Training.Tests.Evaluation;

public class ClassificationReportTests
{
    private static readonly string[] Labels = ["a", "b", "c"];

    // truth:     a a a a b b c c c c
    // predicted: a a b c b b c c a c
    private static ClassificationReport Example() =>
        ClassificationReport.Compute([0, 0, 0, 0, 1, 1, 2, 2, 2, 2], [0, 0, 1, 2, 1, 1, 2, 2, 0, 2], Labels);

    [Fact]
    public void Computes_accuracy_per_class_metrics_and_the_confusion_matrix_by_hand()
    {
        var report = Example();

        report.N.Should().Be(10);
        report.Accuracy.Should().BeApproximately(0.7, 1e-12);
        report.Confusion.Should().BeEquivalentTo(new[] { new[] { 2, 1, 1 }, new[] { 0, 2, 0 }, new[] { 1, 0, 3 } }, o => o.WithStrictOrdering());
        // a: TP 2, predicted 3, support 4 -> P 2/3, R 1/2, F1 4/7.
        report.PerClass[0].Precision.Should().BeApproximately(2.0 / 3, 1e-12);
        report.PerClass[0].Recall.Should().BeApproximately(0.5, 1e-12);
        report.PerClass[0].F1.Should().BeApproximately(4.0 / 7, 1e-12);
        report.PerClass[0].Support.Should().Be(4);
        // b: P 2/3, R 1, F1 0.8; c: P 3/4, R 3/4, F1 0.75.
        report.PerClass[1].F1.Should().BeApproximately(0.8, 1e-12);
        report.PerClass[2].F1.Should().BeApproximately(0.75, 1e-12);
        report.MacroF1.Should().BeApproximately((4.0 / 7 + 0.8 + 0.75) / 3, 1e-12);
    }

    [Fact]
    public void A_class_absent_from_truth_and_predictions_is_left_out_of_macro_F1_and_scores_zero()
    {
        var report = ClassificationReport.Compute([0, 1, 1], [0, 1, 0], Labels);

        report.PerClass[2].Should().Be(new ClassMetrics("c", 0, 0, 0, 0));
        report.MacroF1.Should().BeApproximately((2.0 / 3 + 2.0 / 3) / 2, 1e-12);
    }

    [Fact]
    public void The_json_object_has_the_documented_fields()
    {
        using var doc = JsonDocument.Parse(Example().ToJsonString());
        var root = doc.RootElement;

        root.GetProperty("accuracy").GetDouble().Should().BeApproximately(0.7, 1e-9);
        root.GetProperty("macro_f1").GetDouble().Should().BeInRange(0, 1);
        root.GetProperty("n").GetInt32().Should().Be(10);
        root.GetProperty("labels").EnumerateArray().Select(e => e.GetString()).Should().Equal("a", "b", "c");
        root.GetProperty("per_class").GetProperty("b").GetProperty("support").GetInt32().Should().Be(2);
        root.GetProperty("per_class").GetProperty("a").GetProperty("recall").GetDouble().Should().Be(0.5);
        root.GetProperty("confusion")[2][0].GetInt32().Should().Be(1);
    }

    [Fact]
    public void The_table_lists_every_class_and_the_matrix()
    {
        string table = Example().ToTable();

        table.Should().Contain("accuracy 70.00%").And.Contain("macro-F1");
        table.Split('\n').Should().Contain(l => l.StartsWith("b ") && l.Contains("0.6667") && l.Contains("1.0000"));
    }
}
