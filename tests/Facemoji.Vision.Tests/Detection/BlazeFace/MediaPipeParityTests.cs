using Facemoji.Imaging;
using Facemoji.Imaging.Processing;
using Facemoji.Vision.Detection;
using Facemoji.Vision.Detection.BlazeFace;
using Facemoji.Vision.Tests.Fixtures;
using Xunit.Abstractions;

namespace Facemoji.Vision.Tests.Detection.BlazeFace;

/// <summary>
/// Our BlazeFace against MediaPipe itself (tools/make_mediapipe_fixtures.py: MediaPipe's face detection solution, its
/// own graph and TFLite, on the same .tflite files and pixels): one look at the whole picture letterboxed into the model's
/// square, as MediaPipe's graph takes it, with MediaPipe's score threshold and no landmark check. The same faces, each
/// box within IoU 0.9 of MediaPipe's and each keypoint within 2% of the box's side. MediaPipe ran TFLite on the CPU
/// (XNNPACK) and with its WebGL inference (the JS solution's default on desktops); the full-range runs gave its graph
/// the dense face_detection_full_range.tflite we run (its JS loads a sparse variant by default, kept in the fixture
/// as full_sparse for reference only).
/// </summary>
public sealed class MediaPipeParityTests(ITestOutputHelper output)
{
    private const double MinIoU = 0.9;
    private const double MaxKeypointError = 0.02;

    // Scores are MediaPipe's too, to this much (both are the sigmoid of the same logit, after the same merging).
    private const double MaxScoreError = 0.02;

    [Fact]
    public void PicturesAreThePixelsMediaPipeSaw()
    {
        var fixtures = MediaPipeFixtures.Load();
        fixtures.MediaPipe.Should().Contain("@mediapipe/face_detection");
        foreach (var (name, checksum) in fixtures.PhotoChecksums)
        {
            MediaPipeFixtures.Checksum(MediaPipeFixtures.Photo(name)).Should().Be(checksum, $"the page decoded {name}.png to the same pixels");
        }

        fixtures.Images.Should().HaveCountGreaterThan(10);
        foreach (var image in fixtures.Images)
        {
            var picture = MediaPipeFixtures.Picture(image.Name);
            (picture.Width, picture.Height).Should().Be((image.Width, image.Height), image.Name);
            MediaPipeFixtures.Checksum(picture).Should().Be(image.Checksum, $"{image.Name} is made here as fixtures.js made it");
        }
    }

    [Theory]
    [InlineData("short")]
    [InlineData("full")]
    [InlineData("short_webgl")]
    [InlineData("full_webgl")]
    [Trait("Category", "Slow")]
    public void OneWholePictureLookMatchesMediaPipe(string run)
    {
        var fixture = MediaPipeFixtures.Load().Run(run);
        var model = fixture.Model == "short" ? BlazeFaceModel.ShortRange : BlazeFaceModel.FullRange;
        var detector = SinglePass(model);
        fixture.File.Should().Be(model.FileName, "MediaPipe ran the very model file our engine runs");

        var failures = new List<string>();
        double worstIoU = 1, worstKeypoint = 0, worstScore = 0;
        int compared = 0;
        foreach (var expected in fixture.Cases)
        {
            var picture = MediaPipeFixtures.Picture(expected.Image);
            var found = LookOnce(detector, picture);
            output.WriteLine($"{run} {expected.Image}: MediaPipe {expected.Faces.Count} face(s) [{string.Join(", ", expected.Faces.Select(f => f.Score.ToString("0.000")))}], " +
                $"ours {found.Count} [{string.Join(", ", found.Select(f => f.Score.ToString("0.000")))}]");
            if (found.Count != expected.Faces.Count)
            {
                failures.Add($"{expected.Image}: MediaPipe finds {expected.Faces.Count} face(s), we find {found.Count}");
                continue;
            }

            var left = found.ToList();
            foreach (var face in expected.Faces)
            {
                var ours = left.MaxBy(f => IoU(face.Box, f.Box))!;
                left.Remove(ours);
                double iou = IoU(face.Box, ours.Box);
                double side = Math.Sqrt(face.Box[2] * face.Box[3]);
                double keypoint = face.Keypoints.Select((k, i) => Math.Sqrt(Math.Pow(k[0] - ours.Landmarks[i].X, 2) + Math.Pow(k[1] - ours.Landmarks[i].Y, 2)) / side).Max();
                double score = Math.Abs(face.Score - ours.Score);
                output.WriteLine($"  box IoU {iou:0.0000}, worst keypoint {100 * keypoint:0.00}% of {side:0.0} px, score {face.Score:0.0000} vs {ours.Score:0.0000}");
                worstIoU = Math.Min(worstIoU, iou);
                worstKeypoint = Math.Max(worstKeypoint, keypoint);
                worstScore = Math.Max(worstScore, score);
                compared++;
                if (iou < MinIoU || keypoint > MaxKeypointError || score > MaxScoreError)
                {
                    failures.Add($"{expected.Image}: IoU {iou:0.000}, keypoint error {100 * keypoint:0.00}% of the box, score {ours.Score:0.000} for MediaPipe's {face.Score:0.000}");
                }
            }
        }

        output.WriteLine($"{run}: {compared} faces compared; worst IoU {worstIoU:0.0000}, worst keypoint {100 * worstKeypoint:0.00}% of the box, worst score difference {worstScore:0.0000}");
        compared.Should().BeGreaterThan(5, "the fixture holds faces to compare");
        failures.Should().BeEmpty();
    }

    /// <summary>MediaPipe's one look: no turned or tiled passes, its score threshold, no landmark check.</summary>
    internal static BlazeFaceDetector SinglePass(BlazeFaceModel model) => new(model)
    {
        RotatedPassAngles = [],
        TileLevels = 0,
        MinScore = model.MinScoreThreshold,
        CheckLandmarks = false,
    };

    /// <summary>The whole picture letterboxed into the model's square (its longer side), upright.</summary>
    internal static IReadOnlyList<DetectedFace> LookOnce(BlazeFaceDetector detector, RgbaImage picture) =>
        detector.DetectInSquares(ColorConversion.ToGray(picture), picture,
            [new SearchSquare(picture.Width / 2.0, picture.Height / 2.0, Math.Max(picture.Width, picture.Height), 0)]);

    private static double IoU(double[] a, PixelRect b)
    {
        double x0 = Math.Max(a[0], b.X), y0 = Math.Max(a[1], b.Y);
        double x1 = Math.Min(a[0] + a[2], b.Right), y1 = Math.Min(a[1] + a[3], b.Bottom);
        double inter = Math.Max(0, x1 - x0) * Math.Max(0, y1 - y0);
        return inter / ((a[2] * a[3]) + b.Area - inter);
    }
}
