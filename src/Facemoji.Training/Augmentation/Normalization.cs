namespace Facemoji.Training.Augmentation;

/// <summary>
/// Pixel to network input: x = (v / 255 - Mean) / Std. The FER2013 defaults are the training set's own
/// statistics (measured over the 28,709 training images). The values travel in the model file, so that
/// inference normalises exactly as training did.
/// </summary>
public readonly record struct Normalization(float Mean, float Std)
{
    public static Normalization Fer2013 { get; } = new(0.5077f, 0.2550f);

    public float Apply(float unit) => (unit - Mean) / Std;
}
