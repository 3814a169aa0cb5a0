namespace Facemoji.Engine.Serialization;

/// <summary>
/// How an input image becomes the network's input tensor: the size and channel count it is resized to, the
/// per-channel normalisation x' = (x − mean) / std applied to pixel values in [0, 1], and the crop policy that
/// turns a detected face box into the region that is resized: "face-box-SCALE", the box scaled by SCALE about its
/// centre (the trainer writes "face-box-1.02", FER2013's framing). The pipeline's EmotionClassifier reads it and
/// refuses a model whose policy it does not know.
/// </summary>
public sealed record PreprocessingSettings
{
    public required int Width { get; init; }

    public required int Height { get; init; }

    public required int Channels { get; init; }

    public required IReadOnlyList<float> Mean { get; init; }

    public required IReadOnlyList<float> Std { get; init; }

    public required string CropPolicy { get; init; }
}
