using Facemoji.Engine.Onnx;
using Facemoji.Engine.Serialization;
using Facemoji.Imaging;
using Facemoji.Imaging.Processing;
using Facemoji.Pipeline.Classification;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = Facemoji.Engine.Tensors.Tensor;

namespace Facemoji.Pipeline.Tests.Classification;

/// <summary>
/// The shipped model, exported to ONNX and run in ONNX Runtime 1.31.1, gives our logits within 1e-4 on real faces:
/// the sample photo's face, cut out as the pipeline cuts it, and FER2013 test faces (the first of each class folder,
/// read at test time from the shared data folder when it is there; the data is never committed).
/// </summary>
public sealed class OnnxExportParityTests
{
    private const float Tolerance = 1e-4f;

    private static readonly string Fer2013Test = Environment.GetEnvironmentVariable("FACEMOJI_FER2013") is { Length: > 0 } root
        ? Path.Combine(root, "test")
        : Path.Combine(RepositoryFiles.RepositoryRoot, "..", "shared", "data", "fer2013", "test");

    [Fact]
    [Trait("Category", "Slow")]
    public void TheExportedShippedModelGivesOurLogitsOnRealFaces()
    {
        string modelPath = Path.Combine(RepositoryFiles.RepositoryRoot, ShippedModel.RelativePath);
        var loaded = ModelFile.Read(modelPath);
        var pre = loaded.Header.Preprocessing;
        var faces = RealFaces(pre.Width);
        faces.Should().NotBeEmpty();

        int n = faces.Count, pixels = pre.Width * pre.Height;
        var x = new float[n * pixels];
        for (int f = 0; f < n; f++)
        {
            for (int y = 0; y < pre.Height; y++)
            {
                var row = faces[f].Row(y);
                for (int i = 0; i < pre.Width; i++)
                {
                    x[f * pixels + y * pre.Width + i] = (row[i] / 255f - pre.Mean[0]) / pre.Std[0];
                }
            }
        }

        var network = loaded.CreateEvalNetwork();
        var ours = network.Forward(new Tensor(x, n, 1, pre.Height, pre.Width)).Span.ToArray();
        var oursOneByOne = new float[ours.Length];
        for (int f = 0; f < n; f++)
        {
            network.Forward(new Tensor(x[(f * pixels)..((f + 1) * pixels)], 1, 1, pre.Height, pre.Width)).Span.CopyTo(oursOneByOne.AsSpan(f * 7));
        }

        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(OnnxExporter.ToOnnx(network, loaded.Header), options);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(OnnxExporter.InputName, new DenseTensor<float>(x, [n, 1, pre.Height, pre.Width]))]);
        var reference = results.Single(r => r.Name == OnnxExporter.LogitsName).AsEnumerable<float>().ToArray();

        reference.Length.Should().Be(n * 7);
        for (int i = 0; i < reference.Length; i++)
        {
            ours[i].Should().BeApproximately(reference[i], Tolerance, $"logit {i % 7} of face {i / 7} (batch of {n})");
            oursOneByOne[i].Should().BeApproximately(reference[i], Tolerance, $"logit {i % 7} of face {i / 7} (batch of 1)");
        }
    }

    /// <summary>The sample photo's face as the pipeline crops it, then FER2013 test faces when the data is present.</summary>
    private static List<GrayImage> RealFaces(int side)
    {
        var photo = ColorConversion.ToGray(ImageCodecs.Load(RepositoryFiles.SamplePhotoPath));
        var analyzer = FaceAnalyzer.Create(new AnalyzerOptions { ModelPath = UntrainedModel.Path });
        var boxes = analyzer.Detector.Detect(photo, null);
        boxes.Should().NotBeEmpty("the astronaut's face is found");
        var faces = boxes.Select(b => FaceCrop.Extract(photo, b.Box, side)).ToList();
        if (Directory.Exists(Fer2013Test))
        {
            foreach (string classFolder in Directory.GetDirectories(Fer2013Test).Order(StringComparer.Ordinal))
            {
                faces.AddRange(Directory.GetFiles(classFolder).Order(StringComparer.Ordinal).Take(2).Select(ImageCodecs.LoadGray));
            }
        }

        return faces;
    }
}
