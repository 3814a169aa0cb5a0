namespace Facemoji.Testing;

/// <summary>
/// How far two images of the same size and layout are apart: the largest and the mean absolute difference per
/// value, where the largest is (flat index), how many values differ, and of how many.
/// </summary>
public readonly record struct ImageDifference(int MaxAbs, double MeanAbs, int WorstIndex, int DifferingValues, int Values);
