using System.Globalization;
using System.Text;
using System.Text.Json;
using Facemoji.Engine.Modules;
using Facemoji.Engine.Serialization;

namespace Facemoji.Engine.Onnx;

/// <summary>
/// A trained network as a standard ONNX graph (IR 8, opset 13): input "input" (batch,C,H,W) with a symbolic batch
/// axis, outputs "logits" and "probabilities" (softmax) (batch,classes). Every BatchNorm after a convolution is
/// folded into that convolution's weights and bias; dropout is left out (inference). The model header's class
/// names, preprocessing and provenance go into the ONNX metadata_props ("labels", "preprocessing", ...).
/// </summary>
public static class OnnxExporter
{
    /// <summary>The graph's input and output names.</summary>
    public const string InputName = "input", LogitsName = "logits", ProbabilitiesName = "probabilities";

    /// <summary>
    /// Reads a model file and writes it as ONNX. The output appears whole or not at all (written to a temporary
    /// file beside it, then renamed). Bad input or an unwritable output throws a <see cref="FacemojiException"/>.
    /// </summary>
    public static OnnxExportSummary Export(string modelPath, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        ArgumentNullException.ThrowIfNull(outputPath);
        string fullOutput;
        try
        {
            fullOutput = Path.GetFullPath(outputPath);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new FacemojiException($"{outputPath}: is not a usable output path ({e.Message}).", e);
        }

        if (string.Equals(fullOutput, Path.GetFullPath(modelPath), StringComparison.Ordinal))
        {
            throw new FacemojiException($"{outputPath}: the output would overwrite the model file it is exported from.");
        }

        if (Directory.Exists(fullOutput))
        {
            throw new FacemojiException($"{outputPath}: is a folder; give the ONNX file's path (e.g. {Path.Combine(outputPath, "model.onnx")}).");
        }

        var loaded = ModelFile.Read(modelPath);
        var network = loaded.CreateEvalNetwork();
        var model = Build(network, loaded.Header, loaded.FormatVersion);
        WriteAtomically(outputPath, fullOutput, model);
        var p = loaded.Header.Preprocessing;
        return new OnnxExportSummary(fullOutput, model.Length, loaded.Header.Architecture, loaded.Header.Labels, p.Channels, p.Height, p.Width);
    }

    /// <summary>The ONNX bytes for a network (its current parameters and running statistics) and its header.</summary>
    public static byte[] ToOnnx(Module network, ModelHeader header)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(header);
        return Build(network, header, ModelFile.CurrentFormatVersion).ToArray();
    }

    private static ProtobufMessage Build(Module network, ModelHeader header, uint formatVersion)
    {
        string? problem = header.Validate();
        if (problem is not null)
        {
            throw new FacemojiException($"The model header cannot be exported: {problem}.");
        }

        var p = header.Preprocessing;
        var graph = new OnnxGraphBuilder();
        graph.Input(InputName, "batch", null, p.Channels, p.Height, p.Width);
        string x = Emit(graph, network, InputName, prefix: "");
        int classes = header.Labels.Count;
        graph.NodeTo("Identity", [x], LogitsName);
        graph.NodeTo("Softmax", [x], ProbabilitiesName, new OnnxAttribute("axis", 1L));
        graph.Output(LogitsName, "batch", null, classes);
        graph.Output(ProbabilitiesName, "batch", null, classes);

        string doc = $"Facemoji {header.Architecture}: {p.Channels}x{p.Height}x{p.Width} face -> {classes} classes ({string.Join(", ", header.Labels)}). " +
            $"Input: gray pixel values divided by 255, then (x - mean) / std with mean {Join(p.Mean)} and std {Join(p.Std)}; " +
            $"crop policy '{p.CropPolicy}'. Metadata: labels, preprocessing (JSON).";
        string producer = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0";
        return graph.Build($"facemoji_{header.Architecture}", producer, doc, Metadata(header, formatVersion));
    }

    /// <summary>Emits the nodes of one module and returns the name of its output.</summary>
    private static string Emit(OnnxGraphBuilder graph, Module module, string x, string prefix)
    {
        switch (module)
        {
            case Sequential sequential:
                foreach (var (name, child) in sequential.Children())
                {
                    x = Emit(graph, child, x, prefix + name + ".");
                }

                return x;

            case ConvBn convBn:
                return EmitConvBn(graph, convBn, x, prefix);

            case Conv2d conv:
                return EmitConv(graph, conv, conv.Weight.Value.Span, conv.Bias?.Value.Span.ToArray(), x, prefix);

            case BatchNorm2d bn:
                return graph.Node("BatchNormalization",
                    [x, graph.Initializer(prefix + "weight", bn.Weight.Value.Span, bn.Channels), graph.Initializer(prefix + "bias", bn.Bias.Value.Span, bn.Channels),
                     graph.Initializer(prefix + "running_mean", bn.RunningMean.Span, bn.Channels), graph.Initializer(prefix + "running_var", bn.RunningVar.Span, bn.Channels)],
                    prefix + "bn", new OnnxAttribute("epsilon", bn.Eps));

            case ReLU:
                return graph.Node("Relu", [x], prefix + "relu");

            case ELU elu:
                return graph.Node("Elu", [x], prefix + "elu", new OnnxAttribute("alpha", elu.Alpha));

            case MaxPool2d pool:
                return graph.Node("MaxPool", [x], prefix + "maxpool", PoolAttributes(pool.KernelSize, pool.Stride, pool.Padding));

            case AvgPool2d pool:
                return graph.Node("AveragePool", [x], prefix + "avgpool",
                    [.. PoolAttributes(pool.KernelSize, pool.Stride, pool.Padding), new OnnxAttribute("count_include_pad", 1L)]);

            case GlobalAvgPool:
                // Ours gives (N,C); ONNX's GlobalAveragePool keeps (N,C,1,1).
                return graph.Node("Flatten", [graph.Node("GlobalAveragePool", [x], prefix + "gap")], prefix + "flatten", new OnnxAttribute("axis", 1L));

            case Flatten:
                return graph.Node("Flatten", [x], prefix + "flatten", new OnnxAttribute("axis", 1L));

            case Dropout:
                return x;   // identity at inference

            case Linear linear:
                string[] inputs = linear.Bias is null
                    ? [x, graph.Initializer(prefix + "weight", linear.Weight.Value.Span, linear.OutFeatures, linear.InFeatures)]
                    : [x, graph.Initializer(prefix + "weight", linear.Weight.Value.Span, linear.OutFeatures, linear.InFeatures),
                       graph.Initializer(prefix + "bias", linear.Bias.Value.Span, linear.OutFeatures)];
                return graph.Node("Gemm", inputs, prefix + "linear", new OnnxAttribute("transB", 1L));

            case ResidualBlock block:
                string main = EmitConvBn(graph, block.Second, EmitConvBn(graph, block.First, x, prefix + "conv1."), prefix + "conv2.");
                string shortcut = block.Shortcut is null ? x : EmitConvBn(graph, block.Shortcut, x, prefix + "shortcut.");
                return graph.Node("Relu", [graph.Node("Add", [main, shortcut], prefix + "add")], prefix + "relu");

            default:
                throw new FacemojiException($"The network has a {module.GetType().Name} at '{prefix.TrimEnd('.')}', which the ONNX export does not know.");
        }
    }

    /// <summary>Conv → BatchNorm (→ ReLU) as one Conv with the BatchNorm folded in: w' = w·s, b' = (b − μ)·s + β, s = γ/√(var + eps).</summary>
    private static string EmitConvBn(OnnxGraphBuilder graph, ConvBn block, string x, string prefix)
    {
        var conv = block.Conv;
        var bn = block.Norm;
        int outChannels = conv.OutChannels, perChannel = conv.Weight.Value.Length / outChannels;
        var weight = conv.Weight.Value.Span.ToArray();
        var bias = new float[outChannels];
        for (int co = 0; co < outChannels; co++)
        {
            float s = bn.Weight.Value.Data[co] / MathF.Sqrt(bn.RunningVar.Data[co] + bn.Eps);
            float convBias = conv.Bias is null ? 0f : conv.Bias.Value.Data[co];
            bias[co] = ((convBias - bn.RunningMean.Data[co]) * s) + bn.Bias.Value.Data[co];
            foreach (ref float w in weight.AsSpan(co * perChannel, perChannel))
            {
                w *= s;
            }
        }

        string y = EmitConv(graph, conv, weight, bias, x, prefix + "conv.");
        return block.Relu ? graph.Node("Relu", [y], prefix + "relu") : y;
    }

    private static string EmitConv(OnnxGraphBuilder graph, Conv2d conv, ReadOnlySpan<float> weight, float[]? bias, string x, string prefix)
    {
        int k = conv.KernelSize;
        string w = graph.Initializer(prefix + "weight", weight, conv.OutChannels, conv.InChannels, k, k);
        string[] inputs = bias is null ? [x, w] : [x, w, graph.Initializer(prefix + "bias", bias, conv.OutChannels)];
        return graph.Node("Conv", inputs, prefix + "out",
            new OnnxAttribute("kernel_shape", new long[] { k, k }),
            new OnnxAttribute("strides", new long[] { conv.Stride, conv.Stride }),
            new OnnxAttribute("pads", new long[] { conv.Padding, conv.Padding, conv.Padding, conv.Padding }),
            new OnnxAttribute("dilations", new long[] { 1, 1 }),
            new OnnxAttribute("group", 1L));
    }

    private static OnnxAttribute[] PoolAttributes(int kernel, int stride, int padding) =>
    [
        new("kernel_shape", new long[] { kernel, kernel }),
        new("strides", new long[] { stride, stride }),
        new("pads", new long[] { padding, padding, padding, padding }),
    ];

    private static List<KeyValuePair<string, string>> Metadata(ModelHeader header, uint formatVersion)
    {
        var p = header.Preprocessing;
        return
        [
            new("labels", JsonArray(header.Labels)),
            new("preprocessing", Json(w =>
            {
                w.WriteNumber("width", p.Width);
                w.WriteNumber("height", p.Height);
                w.WriteNumber("channels", p.Channels);
                w.WriteString("pixel_scale", "pixel values / 255, then (x - mean) / std per channel");
                w.WriteStartArray("mean");
                foreach (float m in p.Mean)
                {
                    w.WriteNumberValue(m);
                }

                w.WriteEndArray();
                w.WriteStartArray("std");
                foreach (float s in p.Std)
                {
                    w.WriteNumberValue(s);
                }

                w.WriteEndArray();
                w.WriteString("crop_policy", p.CropPolicy);
                w.WriteString("layout", "NCHW, rows top to bottom");
            })),
            new("architecture", header.Architecture),
            new("metrics", Json(w =>
            {
                foreach (var (key, value) in header.Metrics)
                {
                    w.WriteNumber(key, value);
                }
            })),
            new("created_utc", header.CreatedUtc.ToString("O", CultureInfo.InvariantCulture)),
            new("facemoji_model_format", formatVersion.ToString(CultureInfo.InvariantCulture)),
        ];
    }

    private static string JsonArray(IEnumerable<string> values)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartArray();
            foreach (string v in values)
            {
                w.WriteStringValue(v);
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Join(IEnumerable<float> values) => string.Join("/", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static void WriteAtomically(string outputPath, string fullOutput, ProtobufMessage model)
    {
        string folder = Path.GetDirectoryName(fullOutput) ?? ".";
        if (!Directory.Exists(folder))
        {
            throw new FacemojiException($"{outputPath}: cannot be written: the folder {folder} does not exist.");
        }

        OutputFile.Check(outputPath);

        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullOutput)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                model.WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullOutput, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // The temporary file could not be removed either (e.g. a read-only folder, where it was never created).
            }

            throw new FacemojiException($"{outputPath}: cannot be written: {e.Message}", e);
        }
    }
}
