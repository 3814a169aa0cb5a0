using Facemoji.Engine.Serialization;
using Facemoji.Expressions;
using Facemoji.Imaging;
using Facemoji.Imaging.Processing;
using Facemoji.Pipeline.Classification;
using Facemoji.Vision.Detection;
using Facemoji.Vision.Detection.BlazeFace;

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
/// weights, the cascade and the BlazeFace model are read once per process.
/// </summary>
public sealed class FaceAnalyzer
{
    // Above this the gray copy of a colour image is not kept: a large photo's buffer goes back with it.
    private const long MaxReusedGrayPixels = 4_000_000;

    // The gray copy of a colour image is needed only inside Analyze, so one buffer serves image after image of the
    // same size (a server answering one camera or photo size over and over). A new one each time would be a
    // large-object allocation (a 512x512 image is 256 KB), and those soon cost a full collection.
    private GrayImage? grayBuffer;

    private FaceAnalyzer(AnalyzerOptions options, EmotionClassifier classifier, IFaceDetector detector)
    {
        Options = options;
        Classifier = classifier;
        Detector = detector;
    }

    public AnalyzerOptions Options { get; }

    public EmotionClassifier Classifier { get; }

    public IFaceDetector Detector { get; }

    public static FaceAnalyzer Create(AnalyzerOptions? options = null)
    {
        options ??= new AnalyzerOptions();
        options.Detection.Validate();
        var detector = FaceDetectors.Create(options.Detector, options.CascadePath, options.Detection, options.MinFaceScore, options.Thorough);
        var classifier = EmotionClassifier.Load(options.ModelPath ?? ShippedModel.Locate());
        return new FaceAnalyzer(options, classifier, detector);
    }

    /// <summary>A colour photo: BlazeFace sees the colours, the cascades and the classifier the gray image.</summary>
    public IReadOnlyList<FaceAnalysis> Analyze(RgbaImage image)
    {
        var gray = ReusableGray(image.Width, image.Height) is { } buffer ? ColorConversion.ToGray(image, buffer) : ColorConversion.ToGray(image);
        return Classify(gray, Detector.Detect(gray, image));
    }

    private GrayImage? ReusableGray(int width, int height)
    {
        if ((long)width * height > MaxReusedGrayPixels)
        {
            return null;
        }

        if (grayBuffer is null || grayBuffer.Width != width || grayBuffer.Height != height)
        {
            grayBuffer = new GrayImage(width, height);
        }

        return grayBuffer;
    }

    public IReadOnlyList<FaceAnalysis> Analyze(GrayImage image) => Classify(image, Detector.Detect(image, null));

    /// <summary>Classifies given face boxes of a frame (upright, no landmarks).</summary>
    public IReadOnlyList<FaceAnalysis> Classify(GrayImage image, IReadOnlyList<PixelRect> boxes) =>
        Classify(image, boxes.Select(DetectedFace.Upright).ToList());

    /// <summary>Classifies the faces of a frame (the video path finds them by tracking), each cut out aligned when it has landmarks.</summary>
    public IReadOnlyList<FaceAnalysis> Classify(GrayImage image, IReadOnlyList<DetectedFace> faces)
    {
        var ordered = faces.OrderByDescending(f => f.Box.Area).ThenBy(f => f.Box.X).ThenBy(f => f.Box.Y).ToList();
        var blazeFace = (Detector as BlazeFaceDetector)?.Model;
        var crops = ordered.Select(f => f.HasLandmarks && blazeFace is not null
            ? AlignedFaceCrop.Extract(image, f, Classifier.InputSize, blazeFace)
            : FaceCrop.Extract(image, f.Box, Classifier.InputSize, Classifier.CropMargin)).ToList();
        var probabilities = Classifier.Classify(crops);
        return ordered.Select((face, i) => new FaceAnalysis(face.Box, new ExpressionReading(probabilities[i]))
        {
            Roll = face.Roll,
            Landmarks = face.Landmarks,
            Score = face.Score,
        }).ToList();
    }
}
