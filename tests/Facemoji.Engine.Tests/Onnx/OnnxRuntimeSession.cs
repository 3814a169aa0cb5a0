using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Facemoji.Engine.Tests.Onnx;

/// <summary>An exported graph opened in ONNX Runtime (CPU provider, all graph optimisations), the reference the export is checked against.</summary>
public sealed class OnnxRuntimeSession : IDisposable
{
    private readonly InferenceSession session;

    public OnnxRuntimeSession(byte[] model)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        session = new InferenceSession(model, options);
    }

    public IReadOnlyDictionary<string, string> Metadata => session.ModelMetadata.CustomMetadataMap;

    public IReadOnlyDictionary<string, NodeMetadata> Inputs => session.InputMetadata;

    /// <summary>Runs a batch (N,C,H,W) and returns the logits and probabilities, each (N,classes) row-major.</summary>
    public (float[] Logits, float[] Probabilities) Run(float[] input, params int[] shape)
    {
        var tensor = new DenseTensor<float>(input, shape);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(Facemoji.Engine.Onnx.OnnxExporter.InputName, tensor)]);
        float[] Get(string name) => results.Single(r => r.Name == name).AsEnumerable<float>().ToArray();
        return (Get(Facemoji.Engine.Onnx.OnnxExporter.LogitsName), Get(Facemoji.Engine.Onnx.OnnxExporter.ProbabilitiesName));
    }

    public void Dispose() => session.Dispose();
}
