namespace Facemoji.Vision.Detection;

/// <summary>
/// One look of a detector's whole-frame search: the square of side <paramref name="Side"/> centred at
/// (<paramref name="X"/>, <paramref name="Y"/>) in frame pixels, turned clockwise by <paramref name="Angle"/> degrees.
/// </summary>
public readonly record struct SearchSquare(double X, double Y, double Side, double Angle);
