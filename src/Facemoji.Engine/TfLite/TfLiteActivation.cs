namespace Facemoji.Engine.TfLite;

/// <summary>An operator's fused activation (schema.fbs ActivationFunctionType).</summary>
internal enum TfLiteActivation : byte
{
    None = 0,
    Relu = 1,
    ReluMinusOneToOne = 2,
    Relu6 = 3,
}
