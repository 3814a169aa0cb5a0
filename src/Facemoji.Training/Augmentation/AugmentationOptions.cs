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

    /// <summary>Webcam / phone degradations (<see cref="CameraAugmentation"/>); all off by default. Gamma uniform in log space in [1/(1+GammaRange), 1+GammaRange].</summary>
    public float GammaRange { get; init; }

    /// <summary>Gaussian blur with sigma uniform in [0.3, MaxBlurSigma] pixels, on this fraction of the images.</summary>
    public float BlurProbability { get; init; }

    public float MaxBlurSigma { get; init; } = 1.2f;

    /// <summary>JPEG re-encoding at a quality uniform in [MinJpegQuality, MaxJpegQuality], on this fraction of the images.</summary>
    public float JpegProbability { get; init; }

    public int MinJpegQuality { get; init; } = 15;

    public int MaxJpegQuality { get; init; } = 75;

    /// <summary>Gaussian sensor noise with a standard deviation uniform in [0, MaxNoiseStd] (pixel values 0..1), on this fraction of the images.</summary>
    public float NoiseProbability { get; init; }

    public float MaxNoiseStd { get; init; } = 0.05f;

    /// <summary>A one-gray occluder over 10-30% of the face entering from the bottom or a side, on this fraction of the images.</summary>
    public float OcclusionProbability { get; init; }

    /// <summary>
    /// The default recipe plus the webcam / phone degradations (--augment webcam): wider roll (±20°) and scale
    /// (±20%) jitter, brightness and contrast ±40%, gamma 0.67-1.5, blur, JPEG, noise and occlusion.
    /// </summary>
    public static AugmentationOptions Webcam { get; } = new()
    {
        MaxRotationDegrees = 20, ScaleRange = 0.2f, Brightness = 0.4f, Contrast = 0.4f, GammaRange = 0.5f,
        BlurProbability = 0.3f, JpegProbability = 0.3f, NoiseProbability = 0.3f, OcclusionProbability = 0.2f,
    };

    /// <summary>No augmentation at all: every draw is the identity.</summary>
    public static AugmentationOptions None { get; } = new()
    {
        CropPadding = 0, FlipProbability = 0, MaxRotationDegrees = 0, ScaleRange = 0, MaxShiftFraction = 0,
        Brightness = 0, Contrast = 0, ErasingProbability = 0,
    };
}
