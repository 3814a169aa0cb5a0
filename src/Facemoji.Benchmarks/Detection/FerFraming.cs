using Facemoji.Imaging;
using Facemoji.Imaging.Processing;
using Facemoji.Vision.Detection.BlazeFace;

namespace Facemoji.Benchmarks.Detection;

/// <summary>
/// How FER2013 frames the faces BlazeFace finds (<see cref="BlazeFaceModel.FerFrameScale"/>,
/// <see cref="BlazeFaceModel.FerFrameOffsetY"/>), measured as tools/measure_fer_framing.py measured it for Haar:
/// every third PublicTest image is enlarged 4x (192x192) and put in the middle of a 384x384 canvas whose border
/// repeats its edge pixels; on the images with exactly one face (one upright pass), the frame's side over the
/// box's side and the frame centre's offset from the box centre along the face's own axes (in box sides).
/// </summary>
public static class FerFraming
{
    public sealed record Result(int Images, int OneFace, double MedianScale, double ScaleQ1, double ScaleQ3, double MedianOffsetX, double MedianOffsetY);

    /// <summary>
    /// <c>facemoji bench detect --framing</c>: the short-range model's framing, then the full-range model's, each
    /// yielded as soon as it is measured.
    /// </summary>
    public static IEnumerable<(string Model, Result Framing)> MeasureEachModel(string ferTestFolder)
    {
        foreach (var model in new[] { BlazeFaceModel.ShortRange, BlazeFaceModel.FullRange })
        {
            yield return (model.Name, Measure(model, ferTestFolder));
        }
    }

    public static Result Measure(BlazeFaceModel model, string ferTestFolder)
    {
        var files = Directory.GetDirectories(ferTestFolder).OrderBy(d => d, StringComparer.Ordinal)
            .SelectMany(d => Directory.GetFiles(d).OrderBy(f => f, StringComparer.Ordinal))
            .Where(f => Path.GetFileName(f).StartsWith("PublicTest", StringComparison.Ordinal))
            .Where((_, i) => i % 3 == 0).ToList();
        // One upright look with MediaPipe's own threshold, as the framing was first measured.
        var detector = new BlazeFaceDetector(model) { RotatedPassAngles = [], TileLevels = 0, MinScore = model.MinScoreThreshold, CheckLandmarks = false };
        var scales = new List<double>();
        var offsetX = new List<double>();
        var offsetY = new List<double>();
        foreach (string file in files)
        {
            var big = Resizer.Resize(ImageCodecs.LoadGray(file), 192, 192, ResizeMode.Bilinear);
            var canvas = Rotation.CutSquare(big, 384, 96, 96, 384, 0);
            var faces = detector.Detect(canvas, null);
            if (faces.Count != 1)
            {
                continue;
            }

            var face = faces[0];
            double side = (face.Box.Width + face.Box.Height) / 2.0;
            double r = -face.Roll * Math.PI / 180, dx = 192 - face.Center.X, dy = 192 - face.Center.Y;
            scales.Add(192 / side);
            offsetX.Add(((Math.Cos(r) * dx) - (Math.Sin(r) * dy)) / side);
            offsetY.Add(((Math.Sin(r) * dx) + (Math.Cos(r) * dy)) / side);
        }

        if (scales.Count == 0)
        {
            throw new FacemojiException($"No PublicTest image in {ferTestFolder} gave exactly one face.");
        }

        static double Quantile(List<double> values, double q)
        {
            var sorted = values.OrderBy(v => v).ToList();
            return sorted[(int)(q * (sorted.Count - 1))];
        }

        return new Result(files.Count, scales.Count, Quantile(scales, 0.5), Quantile(scales, 0.25), Quantile(scales, 0.75), Quantile(offsetX, 0.5), Quantile(offsetY, 0.5));
    }
}
