using System.Collections.Concurrent;
using Facemoji.Engine.TfLite;
using Facemoji.Imaging;

namespace Facemoji.Vision.Detection.BlazeFace;

/// <summary>
/// MediaPipe's BlazeFace run by our engine (<see cref="TfLiteInterpreter"/>): the frame is letterboxed into the
/// model's square input (black borders, values scaled to [-1, 1], bilinear sampling, as MediaPipe's
/// ImageToTensorCalculator does), decoded against MediaPipe's SSD anchors, merged by weighted non-maximum
/// suppression and mapped back to the frame with six keypoints and the roll they give.
/// BlazeFace sees faces rolled up to about ±30-40°; <see cref="RotatedPassAngles"/> adds passes over the frame
/// turned by those angles so that more rolled heads are found too, and <see cref="DetectNear"/> looks for a
/// tracked face in a square around it turned by its last roll. Not thread-safe: one detector per thread (the
/// model file is read once per process).
/// </summary>
public sealed class BlazeFaceDetector : IFaceDetector
{
    private static readonly ConcurrentDictionary<string, Lazy<TfLiteModel>> Models = new(StringComparer.Ordinal);

    // A tracked face is looked for in a square this many times its size, centred on it.
    private const double RegionScale = 2.5;

    // A face whose roll is this far (degrees) from the angle of the pass that found it is looked at again, upright.
    private const double RefineTilt = 25;

    // Faces a turned pass (or a refining look) sees turned by more than this from its own angle are dropped.
    private const double MaxPassTilt = 30;

    private readonly TfLiteInterpreter interpreter;
    private readonly (float X, float Y)[] anchors;

    public BlazeFaceDetector(BlazeFaceModel model, string? path = null)
    {
        Model = model;
        string file = Path.GetFullPath(path ?? model.Locate());
        var lazy = Models.GetOrAdd(file, f => new Lazy<TfLiteModel>(() => TfLiteModel.Load(f)));
        TfLiteModel loaded;
        try
        {
            loaded = lazy.Value;
            interpreter = new TfLiteInterpreter(loaded);
        }
        catch
        {
            Models.TryRemove(file, out _);
            throw;
        }

        anchors = SsdAnchors.Generate(model.InputSize, model.Strides, model.InterpolatedScaleAspectRatio);
        var shape = interpreter.InputShape();
        if (shape.Count != 4 || shape[1] != model.InputSize || shape[2] != model.InputSize || shape[3] != 3 ||
            interpreter.Model.Outputs.Count != 2 || interpreter.OutputShape(0)[1] != anchors.Length || interpreter.OutputShape(1)[1] != anchors.Length ||
            interpreter.OutputShape(0)[^1] != BlazeFaceDecoder.ValuesPerAnchor)
        {
            throw new FacemojiException(
                $"TFLite model {file} is not MediaPipe's {model.FileName}: it takes [{string.Join(",", shape)}] and gives " +
                $"{string.Join(" and ", Enumerable.Range(0, interpreter.Model.Outputs.Count).Select(i => "[" + string.Join(",", interpreter.OutputShape(i)) + "]"))}, " +
                $"expected [1,{model.InputSize},{model.InputSize},3] in and [1,{anchors.Length},16] and [1,{anchors.Length},1] out.");
        }
    }

    public string Name => Model.Name;

    public BlazeFaceModel Model { get; }

    /// <summary>Extra full-frame passes with the frame turned by these angles (degrees); empty for one upright pass.</summary>
    public IReadOnlyList<double> RotatedPassAngles { get; init; } = [-45, 45];

    public IReadOnlyList<DetectedFace> Detect(GrayImage gray, RgbaImage? color)
    {
        var source = new SampleSource(gray, color);
        int width = gray.Width, height = gray.Height;
        double side = Math.Max(width, height);

        // Each face with how far it was turned from the pass that saw it: the most upright view wins.
        var faces = new List<(DetectedFace Face, double Tilt)>();
        foreach (double angle in RotatedPassAngles.Prepend(0))
        {
            foreach (var face in DetectInSquare(source, width / 2.0, height / 2.0, side, angle))
            {
                // A real face in a turned pass looks nearly upright there; what looks turned further is most often
                // a false detection on the black corners the turn brings in (the upright pass keeps everything).
                double tilt = AngleBetween(face.Roll, angle);
                if (angle != 0 && tilt > MaxPassTilt)
                {
                    continue;
                }

                int same = faces.FindIndex(f => SameFace(f.Face, face));
                if (same < 0)
                {
                    faces.Add((face, tilt));
                }
                else if (tilt < faces[same].Tilt)
                {
                    faces[same] = (face, tilt);
                }
            }
        }

        // BlazeFace finds heads rolled far beyond 45°, but its keypoints then understate the roll (about 50° for a
        // head at 90°): a face seen turned by more than RefineTilt is looked at again, upright, for its landmarks.
        var result = new List<DetectedFace>(faces.Count);
        foreach (var (face, tilt) in faces)
        {
            var refined = tilt > RefineTilt
                ? DetectNear(source, face).Where(f => SameFace(f, face) && AngleBetween(f.Roll, face.Roll) < MaxPassTilt).MaxBy(f => f.Score)
                : null;
            result.Add(refined ?? face);
        }

        return result;
    }

    public IReadOnlyList<DetectedFace> DetectNear(GrayImage gray, RgbaImage? color, DetectedFace near) =>
        DetectNear(new SampleSource(gray, color), near);

    private IReadOnlyList<DetectedFace> DetectNear(SampleSource source, DetectedFace near)
    {
        var centre = near.Center;
        double side = Math.Max(near.Box.Width, near.Box.Height) * RegionScale;
        return DetectInSquare(source, centre.X, centre.Y, side, near.Roll);
    }

    /// <summary>The difference of two angles in degrees, 0 to 180.</summary>
    private static double AngleBetween(double a, double b) => Math.Abs(Math.IEEERemainder(a - b, 360));

    private static bool SameFace(DetectedFace a, DetectedFace b)
    {
        double dx = a.Center.X - b.Center.X, dy = a.Center.Y - b.Center.Y;
        double size = 0.6 * Math.Min(a.Box.Width, b.Box.Width);
        return (dx * dx) + (dy * dy) < size * size;
    }

    /// <summary>
    /// Runs the model on the square of side <paramref name="side"/> centred at (cx, cy), turned clockwise by
    /// <paramref name="angle"/> degrees, and returns its faces in frame coordinates.
    /// </summary>
    internal IReadOnlyList<DetectedFace> DetectInSquare(SampleSource source, double cx, double cy, double side, double angle)
    {
        int n = Model.InputSize;
        double radians = angle * Math.PI / 180, cos = Math.Cos(radians), sin = Math.Sin(radians);
        source.Sample(interpreter.Input(), n, cx, cy, side, cos, sin);
        interpreter.Run();
        var raw = BlazeFaceDecoder.Decode(interpreter.Output(0), interpreter.Output(1), anchors, n, Model.MinScoreThreshold);
        var merged = BlazeFaceDecoder.WeightedNonMaxSuppression(raw, Model.MinSuppressionThreshold);

        FacePoint ToFrame(float u, float v)
        {
            double px = (u - 0.5) * side, py = (v - 0.5) * side;
            return new FacePoint(cx + (cos * px) - (sin * py), cy + (sin * px) + (cos * py));
        }

        var faces = new List<DetectedFace>(merged.Count);
        foreach (var d in merged)
        {
            var points = new FacePoint[BlazeFaceDecoder.Keypoints];
            for (int k = 0; k < points.Length; k++)
            {
                points[k] = ToFrame(d.Keypoints[2 * k], d.Keypoints[(2 * k) + 1]);
            }

            var centre = ToFrame((d.XMin + d.XMax) / 2, (d.YMin + d.YMax) / 2);
            double w = d.Width * side, h = d.Height * side;
            var box = new PixelRect((int)Math.Round(centre.X - (w / 2)), (int)Math.Round(centre.Y - (h / 2)), (int)Math.Round(w), (int)Math.Round(h));
            double roll = FaceLandmarks.RollDegrees(points[FaceLandmarks.RightEye], points[FaceLandmarks.LeftEye]);
            faces.Add(new DetectedFace(box, d.Score, roll, points));
        }

        return faces;
    }
}
