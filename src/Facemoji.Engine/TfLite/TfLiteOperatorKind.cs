namespace Facemoji.Engine.TfLite;

/// <summary>The TFLite builtin operators the interpreter runs (schema.fbs BuiltinOperator codes).</summary>
internal enum TfLiteOperatorKind
{
    Add = 0,
    AveragePool2d = 1,
    Concatenation = 2,
    Conv2d = 3,
    DepthwiseConv2d = 4,
    Dequantize = 6,
    FullyConnected = 9,
    Logistic = 14,
    MaxPool2d = 17,
    Mul = 18,
    Relu = 19,
    Relu6 = 21,
    Reshape = 22,
    ResizeBilinear = 23,
    Pad = 34,
    Prelu = 54,
}
