using System.Runtime.InteropServices;

namespace Facemoji.Engine.Onnx;

/// <summary>
/// Collects the nodes, weights, inputs and outputs of one ONNX graph and writes the ModelProto. Field numbers are
/// those of onnx/onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto).
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>ONNX IR version 8 (ONNX 1.10+): read by every ONNX Runtime from 1.10 on, onnxruntime-web included.</summary>
    public const long IrVersion = 8;

    /// <summary>The default-domain operator set the graph is written against.</summary>
    public const long Opset = 13;

    private const int TensorFloat = 1;
    private const int AttributeFloat = 1, AttributeInt = 2, AttributeString = 3, AttributeInts = 7;

    private readonly List<ProtobufMessage> nodes = [];
    private readonly List<ProtobufMessage> initializers = [];
    private readonly List<ProtobufMessage> inputs = [];
    private readonly List<ProtobufMessage> outputs = [];
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private int nodeCount;

    /// <summary>A weight tensor stored in the graph (float32, little-endian raw data).</summary>
    public string Initializer(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        long count = dims.Aggregate(1L, (a, b) => a * b);
        if (count != values.Length)
        {
            throw new ArgumentException($"Initializer {name}: {values.Length} values for shape [{string.Join(", ", dims)}].");
        }

        name = Unique(name);
        var tensor = new ProtobufMessage().Int64s(1, dims).Int64(2, TensorFloat).String(8, name);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian.");
        }

        tensor.Bytes(9, MemoryMarshal.AsBytes(values));
        initializers.Add(tensor);
        return name;
    }

    /// <summary>A float input or output; a null dimension is symbolic (dimParam names it, e.g. the batch).</summary>
    public void Input(string name, string dimParam, params int?[] dims)
    {
        names.Add(name);
        inputs.Add(ValueInfo(name, dimParam, dims));
    }

    public void Output(string name, string dimParam, params int?[] dims) => outputs.Add(ValueInfo(name, dimParam, dims));

    /// <summary>Adds a node and returns the name of its (single) output.</summary>
    public string Node(string opType, string[] nodeInputs, string outputHint, params OnnxAttribute[] attributes)
    {
        string output = Unique(outputHint);
        NodeTo(opType, nodeInputs, output, attributes);
        return output;
    }

    /// <summary>Adds a node whose output has a fixed name (a graph output).</summary>
    public void NodeTo(string opType, string[] nodeInputs, string output, params OnnxAttribute[] attributes)
    {
        names.Add(output);
        var node = new ProtobufMessage();
        foreach (string input in nodeInputs)
        {
            node.String(1, input);
        }

        node.String(2, output).String(3, $"{opType}_{nodeCount++}").String(4, opType);
        foreach (var a in attributes)
        {
            var attribute = new ProtobufMessage().String(1, a.Name);
            switch (a.Value)
            {
                case float f:
                    attribute.Float(2, f).Int64(20, AttributeFloat);
                    break;
                case long i:
                    attribute.Int64(3, i).Int64(20, AttributeInt);
                    break;
                case int i:
                    attribute.Int64(3, i).Int64(20, AttributeInt);
                    break;
                case string s:
                    attribute.String(4, s).Int64(20, AttributeString);
                    break;
                case long[] ints:
                    attribute.Int64s(8, ints).Int64(20, AttributeInts);
                    break;
                default:
                    throw new ArgumentException($"Unsupported ONNX attribute value {a.Value?.GetType().Name} for {a.Name}.");
            }

            node.Message(5, attribute);
        }

        nodes.Add(node);
    }

    /// <summary>The serialized ModelProto.</summary>
    public ProtobufMessage Build(string graphName, string producerVersion, string docString, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        var graph = new ProtobufMessage();
        foreach (var node in nodes)
        {
            graph.Message(1, node);
        }

        graph.String(2, graphName);
        foreach (var initializer in initializers)
        {
            graph.Message(5, initializer);
        }

        foreach (var input in inputs)
        {
            graph.Message(11, input);
        }

        foreach (var output in outputs)
        {
            graph.Message(12, output);
        }

        var model = new ProtobufMessage()
            .Int64(1, IrVersion)
            .String(2, "facemoji")
            .String(3, producerVersion)
            .String(6, docString)
            .Message(7, graph)
            .Message(8, new ProtobufMessage().String(1, "").Int64(2, Opset));
        foreach (var (key, value) in metadata)
        {
            model.Message(14, new ProtobufMessage().String(1, key).String(2, value));
        }

        return model;
    }

    private static ProtobufMessage ValueInfo(string name, string dimParam, int?[] dims)
    {
        var shape = new ProtobufMessage();
        foreach (int? d in dims)
        {
            shape.Message(1, d is int value ? new ProtobufMessage().Int64(1, value) : new ProtobufMessage().String(2, dimParam));
        }

        var tensorType = new ProtobufMessage().Int64(1, TensorFloat).Message(2, shape);
        return new ProtobufMessage().String(1, name).Message(2, new ProtobufMessage().Message(1, tensorType));
    }

    private string Unique(string hint)
    {
        string name = hint;
        for (int i = 1; !names.Add(name); i++)
        {
            name = $"{hint}_{i}";
        }

        return name;
    }
}

/// <summary>A node attribute: a float, an int, a string or an int list.</summary>
internal readonly record struct OnnxAttribute(string Name, object Value);
