namespace Facemoji.Training.Evaluation;

/// <summary>One class's precision, recall, F1 (0 where undefined, as scikit-learn's zero_division=0) and support (true instances).</summary>
public readonly record struct ClassMetrics(string Label, double Precision, double Recall, double F1, int Support);
