namespace Facemoji.Training.Augmentation;

/// <summary>
/// The drawn perturbation of one image: a geometric part (flip, then rotation and scale about the centre,
/// then a shift in pixels), a photometric part, and an optional erased rectangle in output coordinates.
/// </summary>
public readonly record struct SampleTransform(
    bool Flip,
    float RotationDegrees,
    float Scale,
    float ShiftX,
    float ShiftY,
    float BrightnessFactor,
    float ContrastFactor,
    int EraseX,
    int EraseY,
    int EraseWidth,
    int EraseHeight)
{
    public static SampleTransform Identity { get; } = new(false, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0);

    /// <summary>A pure shift (test-time crops) with an optional flip.</summary>
    public static SampleTransform Shifted(float shiftX, float shiftY, bool flip = false) =>
        Identity with { ShiftX = shiftX, ShiftY = shiftY, Flip = flip };

    public bool IsGeometricIdentity => !Flip && RotationDegrees == 0 && Scale == 1 && ShiftX == 0 && ShiftY == 0;

    public bool HasErasing => EraseWidth > 0 && EraseHeight > 0;
}
