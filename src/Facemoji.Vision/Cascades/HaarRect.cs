namespace Facemoji.Vision.Cascades;

/// <summary>One weighted rectangle of a Haar feature, in window coordinates.</summary>
internal readonly record struct HaarRect(int X, int Y, int Width, int Height, float Weight);
