namespace Facemoji.Engine.TfLite;

/// <summary>TFLite's element types (schema.fbs TensorType); the interpreter computes in float32.</summary>
internal enum TfLiteTensorType : byte
{
    Float32 = 0,
    Float16 = 1,
    Int32 = 2,
    UInt8 = 3,
    Int64 = 4,
    String = 5,
    Bool = 6,
    Int16 = 7,
    Complex64 = 8,
    Int8 = 9,
    Float64 = 10,
}
