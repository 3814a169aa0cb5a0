using Facemoji.Training.Augmentation;

namespace Facemoji.Training.Evaluation;

/// <summary>
/// The views evaluation averages the softmax over with --tta: the image, its mirror, and four 2-pixel shifted
/// crops (two of them mirrored), the corners of a 2-pixel-padded image. Six forward passes per image.
/// <see cref="TenCrop"/> (--ten-crop): the centre and the four corner crops, each also mirrored; ten passes.
/// </summary>
public static class TestTimeAugmentation
{
    public const float CropShift = 2;

    public static IReadOnlyList<SampleTransform> Views(bool enabled) => enabled
        ? [
            SampleTransform.Identity,
            SampleTransform.Identity with { Flip = true },
            SampleTransform.Shifted(CropShift, CropShift),
            SampleTransform.Shifted(-CropShift, -CropShift, flip: true),
            SampleTransform.Shifted(CropShift, -CropShift, flip: true),
            SampleTransform.Shifted(-CropShift, CropShift),
        ]
        : [SampleTransform.Identity];

    /// <summary>The classic ten-crop: centre and four 2-pixel corner crops, each plain and mirrored.</summary>
    public static IReadOnlyList<SampleTransform> TenCrop { get; } =
        [.. new (float X, float Y)[] { (0, 0), (CropShift, CropShift), (-CropShift, -CropShift), (CropShift, -CropShift), (-CropShift, CropShift) }
            .SelectMany(s => new[] { SampleTransform.Shifted(s.X, s.Y), SampleTransform.Shifted(s.X, s.Y, flip: true) })];
}
