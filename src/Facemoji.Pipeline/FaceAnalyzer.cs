using System.Collections.Concurrent;
using Facemoji.Engine.Serialization;
using Facemoji.Imaging;
using Facemoji.Imaging.Processing;
using Facemoji.Pipeline.Classification;
using Facemoji.Vision.Cascades;
using Facemoji.Vision.Detection;
using Facemoji.Expressions;

namespace Facemoji.Pipeline;

/// <summary>
/// Faces in, emotions out: detect faces in a photo, cut each out framed like FER2013, classify them all in one
/// batch, and return boxes with their readings, the largest face first. This is the code the CLI, the video
/// path and the web app share.
/// <code>
/// var analyzer = FaceAnalyzer.Create();
/// foreach (var face in analyzer.Analyze(ImageCodecs.Load("photo.jpg")))
///     Console.WriteLine($"{face.Box}: {face.Reading.Emotion} {face.Reading.Confidence:P0}");
/// </code>
/// Not thread-safe: give each thread (or each web client) its own analyzer. Creating more is cheap: the model
/// weights and the cascade are read once per process.
/// </summary>
public sealed class FaceAnalyzer
{
    private static readonly ConcurrentDictionary<string, Lazy<CascadeClassifier>> Cascades = new(StringComparer.Ordinal);

    private FaceAnalyzer(AnalyzerOptions options, EmotionClassifier classifier, FaceDetector detector)
    {
        Options = options;
        Classifier = classifier;
        Detector = detector;
    }

    public AnalyzerOptions Options { get; }

    public EmotionClassifier Classifier { get; }

    public FaceDetector Detector { get; }

    public static FaceAnalyzer Create(AnalyzerOptions? options = null)
    {
        options ??= new AnalyzerOptions();
        options.Detection.Validate();
        var classifier = EmotionClassifier.Load(options.ModelPath ?? ShippedModel.Locate());
        string cascadePath = Path.GetFullPath(options.CascadePath ?? CascadeClassifier.DefaultPath);
        var cascade = Cascades.GetOrAdd(cascadePath, p => new Lazy<CascadeClassifier>(() => CascadeClassifier.Load(p)));
        try
        {
            return new FaceAnalyzer(options, classifier, new FaceDetector(cascade.Value));
        }
        catch
        {
            Cascades.TryRemove(cascadePath, out _);
            throw;
        }
    }

    public IReadOnlyList<FaceAnalysis> Analyze(RgbaImage image) => Analyze(ColorConversion.ToGray(image));

    public IReadOnlyList<FaceAnalysis> Analyze(GrayImage image)
    {
        var boxes = Detector.Detect(image, Options.Detection);
        return Classify(image, boxes);
    }

    /// <summary>Classifies given face boxes of a frame (the video path finds them by tracking).</summary>
    public IReadOnlyList<FaceAnalysis> Classify(GrayImage image, IReadOnlyList<PixelRect> boxes)
    {
        var ordered = boxes.OrderByDescending(b => b.Area).ThenBy(b => b.X).ThenBy(b => b.Y).ToList();
        var crops = ordered.Select(b => FaceCrop.Extract(image, b, Classifier.InputSize)).ToList();
        var probabilities = Classifier.Classify(crops);
        return ordered.Select((box, i) => new FaceAnalysis(box, new ExpressionReading(probabilities[i]))).ToList();
    }
}
