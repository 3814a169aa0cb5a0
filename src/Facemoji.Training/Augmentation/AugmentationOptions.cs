namespace Facemoji.Training.Augmentation;

/// <summary>
/// How much each training image may be perturbed. The defaults are the usual FER2013 recipe, mild enough
/// that a 48x48 face stays a face: crop with 4 px padding, flip, up to 10 degrees, 10% scale, 5% shift,
/// 20% brightness and contrast, and a random erased patch on a quarter of the images.
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>Random crop with padding: the image is padded with black by this many pixels and a 48x48 window cut at random (an integer shift of up to this much).</summary>
    public int CropPadding { get; init; } = 4;

    public float FlipProbability { get; init; } = 0.5f;

    /// <summary>Rotation uniform in [-MaxRotationDegrees, +MaxRotationDegrees].</summary>
    public float MaxRotationDegrees { get; init; } = 10f;

    /// <summary>Scale uniform in [1 - ScaleRange, 1 + ScaleRange].</summary>
    public float ScaleRange { get; init; } = 0.1f;

    /// <summary>Sub-pixel shift uniform in +-MaxShiftFraction of the side, on top of the crop.</summary>
    public float MaxShiftFraction { get; init; } = 0.05f;

    /// <summary>Brightness factor uniform in [1 - Brightness, 1 + Brightness].</summary>
    public float Brightness { get; init; } = 0.2f;

    /// <summary>Contrast factor uniform in [1 - Contrast, 1 + Contrast] (around the image's mean).</summary>
    public float Contrast { get; init; } = 0.2f;

    /// <summary>Random erasing (Zhong et al. 2017): probability, area fraction range and aspect ratio range of the patch.</summary>
    public float ErasingProbability { get; init; } = 0.25f;

    public float ErasingMinArea { get; init; } = 0.02f;

    public float ErasingMaxArea { get; init; } = 0.15f;

    public float ErasingMaxAspect { get; init; } = 3.3f;

    /// <summary>No augmentation at all: every draw is the identity.</summary>
    public static AugmentationOptions None { get; } = new()
    {
        CropPadding = 0, FlipProbability = 0, MaxRotationDegrees = 0, ScaleRange = 0, MaxShiftFraction = 0,
        Brightness = 0, Contrast = 0, ErasingProbability = 0,
    };
}
