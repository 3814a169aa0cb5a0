namespace Facemoji.Training.Augmentation;

/// <summary>
/// The drawn webcam / phone-photo degradation of one image (<see cref="CameraAugmentation"/>), applied after the
/// geometric and brightness/contrast part: gamma, Gaussian blur, JPEG re-encoding, sensor noise, and an
/// occluding patch of one gray level (a hand, a phone, a mask). Every field at its identity value does nothing.
/// </summary>
internal readonly record struct CameraEffects(
    float Gamma,
    float BlurSigma,
    int JpegQuality,
    float NoiseStd,
    ulong NoiseSeed,
    int OcclusionX,
    int OcclusionY,
    int OcclusionWidth,
    int OcclusionHeight,
    float OcclusionGray)
{
    public static CameraEffects None { get; } = new(1, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public bool HasOcclusion => OcclusionWidth > 0 && OcclusionHeight > 0;

    public bool IsIdentity => Gamma == 1 && BlurSigma == 0 && JpegQuality == 0 && NoiseStd == 0 && !HasOcclusion;
}
