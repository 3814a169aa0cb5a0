namespace Facemoji.Vision.Detection;

/// <summary>A point of a face in image pixels (sub-pixel).</summary>
public readonly record struct FacePoint(double X, double Y);
