using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Facemoji.Training.Evaluation;

/// <summary>
/// Accuracy, macro-F1, per-class precision / recall / F1 / support and the confusion matrix of a classifier
/// on labelled data. Confusion[t][p] counts images of true class t predicted as p. Macro-F1 is the plain mean
/// of the per-class F1 over the classes that occur in the truth or the predictions (scikit-learn's default),
/// so that a subset missing a class is not punished for it.
/// </summary>
public sealed class ClassificationReport
{
    private ClassificationReport(IReadOnlyList<string> labels, int[][] confusion)
    {
        Labels = labels;
        Confusion = confusion;
        int classes = labels.Count;
        N = confusion.Sum(row => row.Sum());
        int correct = Enumerable.Range(0, classes).Sum(c => confusion[c][c]);
        Accuracy = N == 0 ? 0 : (double)correct / N;

        var perClass = new ClassMetrics[classes];
        double f1Sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++)
        {
            int support = confusion[c].Sum();
            int predicted = Enumerable.Range(0, classes).Sum(t => confusion[t][c]);
            int truePositives = confusion[c][c];
            double precision = predicted == 0 ? 0 : (double)truePositives / predicted;
            double recall = support == 0 ? 0 : (double)truePositives / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass[c] = new ClassMetrics(labels[c], precision, recall, f1, support);
            if (support > 0 || predicted > 0)
            {
                f1Sum += f1;
                present++;
            }
        }

        PerClass = perClass;
        MacroF1 = present == 0 ? 0 : f1Sum / present;
    }

    public IReadOnlyList<string> Labels { get; }

    /// <summary>Confusion[true][predicted].</summary>
    public int[][] Confusion { get; }

    public int N { get; }

    /// <summary>Fraction correct, 0..1.</summary>
    public double Accuracy { get; }

    public double MacroF1 { get; }

    public IReadOnlyList<ClassMetrics> PerClass { get; }

    public static ClassificationReport Compute(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, IReadOnlyList<string> labels)
    {
        if (truth.Length != predicted.Length)
        {
            throw new ArgumentException($"{truth.Length} true labels but {predicted.Length} predictions.");
        }

        var confusion = Enumerable.Range(0, labels.Count).Select(_ => new int[labels.Count]).ToArray();
        for (int i = 0; i < truth.Length; i++)
        {
            if ((uint)truth[i] >= labels.Count || (uint)predicted[i] >= labels.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(truth), $"Label {truth[i]} or prediction {predicted[i]} is outside 0..{labels.Count - 1}.");
            }

            confusion[truth[i]][predicted[i]]++;
        }

        return new ClassificationReport(labels, confusion);
    }

    /// <summary>The JSON object of <c>facemoji evaluate --json</c>: accuracy, macro_f1, n, labels, per_class, confusion.</summary>
    public JsonObject ToJson()
    {
        var perClass = new JsonObject();
        foreach (var m in PerClass)
        {
            perClass[m.Label] = new JsonObject
            {
                ["precision"] = Round(m.Precision),
                ["recall"] = Round(m.Recall),
                ["f1"] = Round(m.F1),
                ["support"] = m.Support,
            };
        }

        return new JsonObject
        {
            ["accuracy"] = Round(Accuracy),
            ["macro_f1"] = Round(MacroF1),
            ["n"] = N,
            ["labels"] = new JsonArray(Labels.Select(l => (JsonNode)JsonValue.Create(l)!).ToArray()),
            ["per_class"] = perClass,
            ["confusion"] = new JsonArray(Confusion.Select(row => (JsonNode)new JsonArray(row.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray())).ToArray()),
        };
    }

    public string ToJsonString(bool indented = false) => ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = indented });

    /// <summary>Plain-text per-class table followed by the confusion matrix (rows: truth, columns: prediction).</summary>
    public string ToTable()
    {
        var inv = CultureInfo.InvariantCulture;
        int width = Math.Max(9, Labels.Max(l => l.Length) + 1);
        var text = new StringBuilder();
        text.AppendLine(inv, $"accuracy {Accuracy * 100:F2}%  macro-F1 {MacroF1:F4}  n {N}");
        text.AppendLine();
        text.AppendLine(inv, $"{"class".PadRight(width)} precision    recall        F1   support");
        foreach (var m in PerClass)
        {
            text.AppendLine(inv, $"{m.Label.PadRight(width)} {m.Precision,9:F4} {m.Recall,9:F4} {m.F1,9:F4} {m.Support,9}");
        }

        text.AppendLine();
        text.Append("true \\ predicted".PadRight(width + 8));
        foreach (var label in Labels)
        {
            text.Append(Abbreviate(label).PadLeft(9));
        }

        text.AppendLine();
        for (int t = 0; t < Labels.Count; t++)
        {
            text.Append(Labels[t].PadRight(width + 8));
            foreach (int count in Confusion[t])
            {
                text.Append(count.ToString(inv).PadLeft(9));
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static string Abbreviate(string label) => label.Length <= 8 ? label : label[..8];

    private static double Round(double value) => Math.Round(value, 6);
}
