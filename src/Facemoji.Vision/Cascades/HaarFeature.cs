namespace Facemoji.Vision.Cascades;

/// <summary>
/// A Haar feature as OpenCV stores it: up to three weighted rectangles (unused ones have weight 0 and an
/// empty rect); tilted ones are rotated 45° and read from the tilted integral image.
/// </summary>
internal readonly record struct HaarFeature(HaarRect Rect0, HaarRect Rect1, HaarRect Rect2, bool Tilted);
