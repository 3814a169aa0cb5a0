using System.Buffers.Binary;

namespace Facemoji.Engine.TfLite;

/// <summary>
/// A TFLite model read from its FlatBuffers file (schema.fbs): the first subgraph's tensors, with constant data
/// decoded to float32 (float16 weights widened), its operators in execution order, and its inputs and outputs.
/// Only what <see cref="TfLiteInterpreter"/> can run is accepted: any other operator, a custom operator, a
/// quantized (int8/uint8) tensor or a corrupt file is refused with a <see cref="FacemojiException"/> that names
/// the file and the problem.
/// </summary>
public sealed class TfLiteModel
{
    // 64 M floats (256 MiB) per tensor: far above any detector's, low enough that a corrupt shape cannot exhaust memory.
    private const long MaxTensorLength = 1L << 26;

    // MediaPipe's face models are 0.1-1 MB; a file is refused above this before it is read.
    private const long MaxFileBytes = 1L << 30;

    private TfLiteModel(string name, TfLiteTensor[] tensors, TfLiteOperator[] operators, int[] inputs, int[] outputs)
    {
        Name = name;
        Tensors = tensors;
        Operators = operators;
        Inputs = inputs;
        Outputs = outputs;
    }

    /// <summary>Where the model came from (the file name), for error messages.</summary>
    public string Name { get; }

    internal IReadOnlyList<TfLiteTensor> Tensors { get; }

    internal IReadOnlyList<TfLiteOperator> Operators { get; }

    public IReadOnlyList<int> Inputs { get; }

    public IReadOnlyList<int> Outputs { get; }

    public static TfLiteModel Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = BoundedFile.ReadAllBytes(path, MaxFileBytes, problem => new FacemojiException($"TFLite model {path} cannot be read: the file {problem}."));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FacemojiException($"TFLite model {path} cannot be read: {e.Message}", e);
        }

        return Parse(bytes, path);
    }

    /// <summary>Reads a model from its bytes; <paramref name="name"/> names it in errors.</summary>
    public static TfLiteModel Parse(byte[] bytes, string name)
    {
        try
        {
            return ParseModel(bytes, name);
        }
        catch (TfLiteFormatException e)
        {
            throw new FacemojiException($"TFLite model {name} is not valid: {e.Message}.", e);
        }
    }

    private static TfLiteModel ParseModel(byte[] bytes, string name)
    {
        var model = FlatBufferTable.Root(bytes, "TFL3");
        uint version = model.UInt32(0);
        if (version != 3)
        {
            throw new TfLiteFormatException($"its schema version is {version}, only version 3 is known");
        }

        var codes = model.TableVector(1).Select(c =>
        {
            int code = Math.Max(c.Byte(0), c.Int32(3));
            return c.Has(1) && code == 32 ? -1 : code; // 32: CUSTOM
        }).ToArray();
        var subgraphs = model.TableVector(2);
        if (subgraphs.Length != 1)
        {
            throw new TfLiteFormatException($"it has {subgraphs.Length} subgraphs, only models with one are supported");
        }

        var buffers = model.TableVector(4);
        var graph = subgraphs[0];
        var tensorTables = graph.TableVector(0);
        var tensors = new TfLiteTensor[tensorTables.Length];
        for (int i = 0; i < tensors.Length; i++)
        {
            tensors[i] = ReadTensor(tensorTables[i], i, buffers, bytes);
        }

        var operatorTables = graph.TableVector(3);
        var operators = new TfLiteOperator[operatorTables.Length];
        for (int i = 0; i < operators.Length; i++)
        {
            var op = operatorTables[i];
            uint opcode = op.UInt32(0);
            if (opcode >= codes.Length)
            {
                throw new TfLiteFormatException($"operator {i} uses operator code {opcode} of {codes.Length}");
            }

            int code = codes[opcode];
            if (code < 0)
            {
                throw new TfLiteFormatException($"operator {i} is a custom operator, which is not supported");
            }

            if (!Enum.IsDefined(typeof(TfLiteOperatorKind), code))
            {
                throw new TfLiteFormatException($"operator {i} is builtin operator {code}, which the interpreter does not run");
            }

            var kind = (TfLiteOperatorKind)code;
            int[] inputs = op.Int32Vector(1), outputs = op.Int32Vector(2);
            foreach (int t in inputs.Concat(outputs))
            {
                if (t < -1 || t >= tensors.Length)
                {
                    throw new TfLiteFormatException($"operator {i} ({kind}) refers to tensor {t} of {tensors.Length}");
                }
            }

            operators[i] = new TfLiteOperator(kind, inputs, outputs, ReadOptions(kind, op.Table(4)));
        }

        int[] graphInputs = graph.Int32Vector(1), graphOutputs = graph.Int32Vector(2);
        if (graphInputs.Length == 0 || graphOutputs.Length == 0 || graphInputs.Concat(graphOutputs).Any(t => t < 0 || t >= tensors.Length))
        {
            throw new TfLiteFormatException("its graph inputs or outputs are missing or out of range");
        }

        return new TfLiteModel(Path.GetFileName(name), tensors, operators, graphInputs, graphOutputs);
    }

    private static TfLiteTensor ReadTensor(FlatBufferTable t, int index, FlatBufferTable[] buffers, byte[] file)
    {
        int[] shape = t.Int32Vector(0);
        string tensorName = t.String(3) ?? $"tensor{index}";
        byte typeCode = t.Byte(1);
        if (!Enum.IsDefined(typeof(TfLiteTensorType), typeCode))
        {
            throw new TfLiteFormatException($"tensor {tensorName} has unknown type code {typeCode}");
        }

        var type = (TfLiteTensorType)typeCode;
        if (shape.Any(d => d < 0) || shape.Aggregate(1L, (a, b) => a * b) > MaxTensorLength)
        {
            throw new TfLiteFormatException($"tensor {tensorName} has an impossible shape [{string.Join(",", shape)}]");
        }

        var quantization = t.Table(4);
        if (quantization is { } q && q.Has(1) && type is TfLiteTensorType.Int8 or TfLiteTensorType.UInt8)
        {
            throw new TfLiteFormatException($"tensor {tensorName} is quantized ({type}), which is not supported");
        }

        uint bufferIndex = t.UInt32(2);
        if (bufferIndex >= buffers.Length && bufferIndex != 0)
        {
            throw new TfLiteFormatException($"tensor {tensorName} refers to buffer {bufferIndex} of {buffers.Length}");
        }

        ReadOnlySpan<byte> raw = bufferIndex < buffers.Length ? BufferBytes(buffers[bufferIndex], file, tensorName) : [];
        if (raw.IsEmpty)
        {
            return new TfLiteTensor(index, tensorName, shape, type, null);
        }

        int count = shape.Aggregate(1, (a, b) => a * b);
        int elementSize = type switch
        {
            TfLiteTensorType.Float32 or TfLiteTensorType.Int32 => 4,
            TfLiteTensorType.Float16 => 2,
            TfLiteTensorType.Int64 => 8,
            _ => throw new TfLiteFormatException($"constant tensor {tensorName} has type {type}, which is not supported"),
        };
        if (raw.Length != count * elementSize)
        {
            throw new TfLiteFormatException($"constant tensor {tensorName} holds {raw.Length} bytes, its shape [{string.Join(",", shape)}] of {type} needs {count * elementSize}");
        }

        var data = new float[count];
        for (int i = 0; i < count; i++)
        {
            data[i] = type switch
            {
                TfLiteTensorType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(raw[(4 * i)..]),
                TfLiteTensorType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(raw[(4 * i)..]),
                TfLiteTensorType.Float16 => (float)BinaryPrimitives.ReadHalfLittleEndian(raw[(2 * i)..]),
                _ => BinaryPrimitives.ReadInt64LittleEndian(raw[(8 * i)..]),
            };
        }

        return new TfLiteTensor(index, tensorName, shape, type, data);
    }

    private static ReadOnlySpan<byte> BufferBytes(FlatBufferTable buffer, byte[] file, string tensorName)
    {
        var inline = buffer.ByteVector(0);
        if (!inline.IsEmpty)
        {
            return inline;
        }

        // Models over 2 GB keep their buffers after the FlatBuffer, addressed by offset and size.
        ulong offset = buffer.UInt64(1), size = buffer.UInt64(2);
        if (offset <= 1)
        {
            return [];
        }

        if (offset + size > (ulong)file.Length)
        {
            throw new TfLiteFormatException($"the data of tensor {tensorName} runs past the end of the file");
        }

        return file.AsSpan((int)offset, (int)size);
    }

    private static TfLiteOperatorOptions ReadOptions(TfLiteOperatorKind kind, FlatBufferTable? table)
    {
        if (table is not { } o)
        {
            return new TfLiteOperatorOptions();
        }

        return kind switch
        {
            TfLiteOperatorKind.Conv2d => new TfLiteOperatorOptions
            {
                SamePadding = o.Byte(0) == 0, StrideWidth = o.Int32(1, 1), StrideHeight = o.Int32(2, 1),
                Activation = Activation(o.Byte(3)), DilationWidth = o.Int32(4, 1), DilationHeight = o.Int32(5, 1),
            },
            TfLiteOperatorKind.DepthwiseConv2d => new TfLiteOperatorOptions
            {
                SamePadding = o.Byte(0) == 0, StrideWidth = o.Int32(1, 1), StrideHeight = o.Int32(2, 1),
                DepthMultiplier = o.Int32(3, 1), Activation = Activation(o.Byte(4)),
                DilationWidth = o.Int32(5, 1), DilationHeight = o.Int32(6, 1),
            },
            TfLiteOperatorKind.MaxPool2d or TfLiteOperatorKind.AveragePool2d => new TfLiteOperatorOptions
            {
                SamePadding = o.Byte(0) == 0, StrideWidth = o.Int32(1, 1), StrideHeight = o.Int32(2, 1),
                FilterWidth = o.Int32(3, 1), FilterHeight = o.Int32(4, 1), Activation = Activation(o.Byte(5)),
            },
            TfLiteOperatorKind.Add or TfLiteOperatorKind.Mul or TfLiteOperatorKind.FullyConnected =>
                new TfLiteOperatorOptions { Activation = Activation(o.Byte(0)) },
            TfLiteOperatorKind.Concatenation => new TfLiteOperatorOptions { Axis = o.Int32(0), Activation = Activation(o.Byte(1)) },
            TfLiteOperatorKind.Reshape => new TfLiteOperatorOptions { NewShape = o.Int32Vector(0) },
            TfLiteOperatorKind.ResizeBilinear => new TfLiteOperatorOptions { AlignCorners = o.Byte(2) != 0, HalfPixelCenters = o.Byte(3) != 0 },
            _ => new TfLiteOperatorOptions(),
        };
    }

    private static TfLiteActivation Activation(byte code) =>
        Enum.IsDefined(typeof(TfLiteActivation), code)
            ? (TfLiteActivation)code
            : throw new TfLiteFormatException($"fused activation {code} is not supported");
}
