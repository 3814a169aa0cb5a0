namespace Facemoji.Engine.TfLite;

/// <summary>
/// One tensor of a TFLite graph: its name, shape (TFLite order, NHWC for images) and type; <see cref="Data"/>
/// holds constant values (weights, float16 already widened to float32, int32 as floats) or null for activations.
/// </summary>
internal sealed record TfLiteTensor(int Index, string Name, int[] Shape, TfLiteTensorType Type, float[]? Data)
{
    public int Length => Shape.Aggregate(1, (a, b) => a * b);

    public bool IsConstant => Data is not null;
}
