using System.Diagnostics;
using System.Globalization;
using Facemoji.Expressions;
using Facemoji.Imaging;
using Facemoji.Imaging.Processing;
using Facemoji.Pipeline;
using Facemoji.Vision.Detection.BlazeFace;

namespace Facemoji.Benchmarks.Detection;

/// <summary>
/// The "faces in the wild" check of <c>facemoji bench detect --wild</c>: the sample photo's face and FER2013 test
/// faces, upscaled and pasted on face-free backgrounds (skimage's photos of a cat, coffee, coins... and drawn
/// gradients) as 640x480 scenes, then turned (±15°, ±30°, ±45° about the face), made small (a 64-128 px face),
/// dark (a third of the light) or blurred, plus the face-free backgrounds alone. Every detector runs the full
/// pipeline on every scene: a face counts as found when a detection's centre lies within half the face's side of
/// the true centre and its size is within a factor of two; the expression is right when the reading of that
/// detection is the FER2013 label. Scenes are generated at run time from a fixed seed (nothing derived from
/// FER2013 is written anywhere).
/// </summary>
public static class WildCheck
{
    public static IReadOnlyList<string> Transforms { get; } =
        ["upright", "rot-15", "rot+15", "rot-30", "rot+30", "rot-45", "rot+45", "small", "dark", "blurred"];

    // skimage's sample photos without a face in them.
    private static readonly string[] FaceFreePhotos = ["chelsea.png", "coffee.png", "coins.png", "horse.png", "moon.png", "page.png", "grass.png", "gravel.png", "brick.png", "motorcycle_left.png", "text.png", "cell.png"];

    /// <summary>The scenes: <paramref name="perClass"/> FER2013 test faces of each class from <paramref name="ferTestFolder"/>, the sample photo, and the face-free pictures.</summary>
    public static IEnumerable<WildScene> Scenes(string ferTestFolder, string skimageFolder, int perClass, int seed = 11)
    {
        var rng = new Random(seed);
        var backgrounds = Backgrounds(skimageFolder, rng).ToList();
        var faces = new List<(GrayImage Face, Emotion? Label)>();
        foreach (var emotion in Enum.GetValues<Emotion>())
        {
            string folder = Path.Combine(ferTestFolder, emotion.Name());
            if (!Directory.Exists(folder))
            {
                throw new FacemojiException($"FER2013 test folder {folder} is missing: --wild needs the test split's class folders (angry, disgust, ...).");
            }

            foreach (string file in Directory.GetFiles(folder).OrderBy(f => f, StringComparer.Ordinal).Take(perClass))
            {
                faces.Add((ImageCodecs.LoadGray(file), emotion));
            }
        }

        // The astronaut's face cut from the sample photo (the Haar box grown a little), no label.
        var astronaut = ColorConversion.ToGray(ImageCodecs.Load(Path.Combine(skimageFolder, "astronaut.png")));
        faces.Add((Cropping.Crop(astronaut, new PixelRect(150, 40, 150, 150)), null));

        int index = 0;
        foreach (var (face, label) in faces)
        {
            int faceIndex = index;
            var background = backgrounds[index++ % backgrounds.Count];
            foreach (string transform in Transforms)
            {
                int side = transform == "small" ? rng.Next(64, 129) : rng.Next(150, 221);
                double x = rng.Next(side, 640 - side), y = rng.Next(side, 480 - side);
                var scene = Paste(background, face, x, y, side);
                double turn = transform.StartsWith("rot", StringComparison.Ordinal) ? double.Parse(transform[3..], CultureInfo.InvariantCulture) : 0;
                scene = transform switch
                {
                    "dark" => Scale(scene, 0.33),
                    "blurred" => Blur(scene, 3),
                    _ when turn != 0 => RotateAbout(scene, turn, x, y),
                    _ => scene,
                };
                yield return new WildScene(transform, scene, x, y, side, label, faceIndex, turn);
            }
        }

        foreach (var background in backgrounds)
        {
            yield return new WildScene("face-free", background, 0, 0, 0, null);
        }
    }

    /// <summary>
    /// <c>facemoji bench detect --wild</c>: each of <paramref name="detectors"/> (with the model at
    /// <paramref name="modelPath"/>, or the shipped one) over the same scenes, built from <paramref name="perClass"/>
    /// faces per class of <paramref name="ferTestFolder"/> and skimage's photos in third_party/skimage under the
    /// current folder. <paramref name="onDetectorDone"/> hears each detector's name and time as it finishes.
    /// </summary>
    public static IReadOnlyList<WildResult> Compare(
        string ferTestFolder, IReadOnlyList<string> detectors, int perClass, string? modelPath, Action<string, TimeSpan>? onDetectorDone = null)
    {
        string skimage = Path.Combine(Directory.GetCurrentDirectory(), "third_party", "skimage");
        var results = new List<WildResult>();
        foreach (string name in detectors)
        {
            var analyzer = FaceAnalyzer.Create(new AnalyzerOptions { Detector = name, ModelPath = modelPath });
            long start = Stopwatch.GetTimestamp();
            results.Add(Run(analyzer, Scenes(ferTestFolder, skimage, perClass)));
            onDetectorDone?.Invoke(name, Stopwatch.GetElapsedTime(start));
        }

        return results;
    }

    /// <summary>Runs one detector's analyzer over the scenes.</summary>
    public static WildResult Run(FaceAnalyzer analyzer, IEnumerable<WildScene> scenes)
    {
        var result = new WildResult(analyzer.Detector.Name);
        var blaze = analyzer.Detector as BlazeFaceDetector;
        long runs = blaze?.ModelRuns ?? 0, pictures = 0;

        // The roll each pasted picture's face was found with upright: the reference its other transforms are measured
        // against (plus the turn). A face the upright scene missed is taken as upright (roll 0), as FER2013 mostly frames them.
        var uprightRolls = new Dictionary<int, double>();
        foreach (var scene in scenes)
        {
            var faces = analyzer.Analyze(scene.Image);
            pictures++;
            if (blaze is not null)
            {
                result.LooksPerImage = (double)(blaze.ModelRuns - runs) / pictures;
            }

            if (!scene.HasFace)
            {
                result.AddFaceFree(faces.Count);
                continue;
            }

            var match = faces
                .Where(f =>
                {
                    double cx = f.Box.X + (f.Box.Width / 2.0), cy = f.Box.Y + (f.Box.Height / 2.0);
                    double size = Math.Sqrt(f.Box.Area);
                    return Math.Sqrt(Math.Pow(cx - scene.FaceX, 2) + Math.Pow(cy - scene.FaceY, 2)) < scene.FaceSide / 2 &&
                        size > scene.FaceSide / 2 && size < scene.FaceSide * 2;
                })
                .OrderBy(f => Math.Pow(f.Box.X + (f.Box.Width / 2.0) - scene.FaceX, 2) + Math.Pow(f.Box.Y + (f.Box.Height / 2.0) - scene.FaceY, 2))
                .FirstOrDefault();
            double? rollError = null;
            if (scene.Transform == ReferenceTransform)
            {
                if (match is not null && match.Landmarks.Count > 0)
                {
                    uprightRolls[scene.FaceIndex] = match.Roll;
                }
            }
            else if (match is not null && match.Landmarks.Count > 0)
            {
                rollError = RollError(match.Roll, uprightRolls.GetValueOrDefault(scene.FaceIndex) + scene.Turn);
            }

            result.AddFace(
                scene.Transform, match is not null, scene.Label is { } label && match is not null ? match.Reading.Emotion == label : null, scene.Label is not null,
                faces.Count - (match is null ? 0 : 1), rollError);
        }

        return result;
    }

    /// <summary>The transform whose found roll is each pasted face's own (the reference of the roll errors, not measured itself).</summary>
    public const string ReferenceTransform = "upright";

    /// <summary>How far a found roll is from the true one, degrees, 0 to 180 (the short way round).</summary>
    public static double RollError(double found, double truth) => Math.Abs(Math.IEEERemainder(found - truth, 360));

    private static IEnumerable<RgbaImage> Backgrounds(string skimageFolder, Random rng)
    {
        foreach (string name in FaceFreePhotos)
        {
            string path = Path.Combine(skimageFolder, name);
            if (File.Exists(path))
            {
                yield return Resizer.Resize(ImageCodecs.Load(path), 640, 480, ResizeMode.Bilinear);
            }
        }

        // Drawn gradients with soft blobs: plain walls and out-of-focus rooms.
        for (int i = 0; i < 8; i++)
        {
            var image = new RgbaImage(640, 480);
            int r0 = rng.Next(256), g0 = rng.Next(256), b0 = rng.Next(256), r1 = rng.Next(256), g1 = rng.Next(256), b1 = rng.Next(256);
            for (int y = 0; y < 480; y++)
            {
                var row = image.Row(y);
                for (int x = 0; x < 640; x++)
                {
                    double t = (x + y) / 1120.0, wave = 20 * Math.Sin((x * 0.02 * (i + 1)) + (y * 0.013));
                    row[4 * x] = (byte)Math.Clamp((r0 * (1 - t)) + (r1 * t) + wave, 0, 255);
                    row[(4 * x) + 1] = (byte)Math.Clamp((g0 * (1 - t)) + (g1 * t) + wave, 0, 255);
                    row[(4 * x) + 2] = (byte)Math.Clamp((b0 * (1 - t)) + (b1 * t) - wave, 0, 255);
                    row[(4 * x) + 3] = 255;
                }
            }

            yield return image;
        }
    }

    private static RgbaImage Paste(RgbaImage background, GrayImage face, double cx, double cy, int side)
    {
        var scene = new RgbaImage(background.Width, background.Height, (byte[])background.Pixels.Clone());
        var scaled = Resizer.Resize(face, side, side, ResizeMode.Bilinear);
        int left = (int)Math.Round(cx - (side / 2.0)), top = (int)Math.Round(cy - (side / 2.0));
        for (int y = 0; y < side; y++)
        {
            var row = scene.Row(top + y);
            var source = scaled.Row(y);
            for (int x = 0; x < side; x++)
            {
                byte v = source[x];
                row[4 * (left + x)] = v;
                row[(4 * (left + x)) + 1] = v;
                row[(4 * (left + x)) + 2] = v;
            }
        }

        return scene;
    }

    private static RgbaImage Scale(RgbaImage image, double factor)
    {
        var result = new RgbaImage(image.Width, image.Height, (byte[])image.Pixels.Clone());
        for (int i = 0; i < result.Pixels.Length; i++)
        {
            if ((i & 3) != 3)
            {
                result.Pixels[i] = (byte)(result.Pixels[i] * factor);
            }
        }

        return result;
    }

    // A box blur of the given radius, across then down.
    private static RgbaImage Blur(RgbaImage image, int radius)
    {
        var result = new RgbaImage(image.Width, image.Height, (byte[])image.Pixels.Clone());
        for (int pass = 0; pass < 2; pass++)
        {
            var source = (byte[])result.Pixels.Clone();
            for (int y = 0; y < image.Height; y++)
            {
                for (int x = 0; x < image.Width; x++)
                {
                    for (int c = 0; c < 3; c++)
                    {
                        int sum = 0, count = 0;
                        for (int d = -radius; d <= radius; d++)
                        {
                            int xx = pass == 0 ? x + d : x, yy = pass == 0 ? y : y + d;
                            if (xx >= 0 && yy >= 0 && xx < image.Width && yy < image.Height)
                            {
                                sum += source[(((yy * image.Width) + xx) * 4) + c];
                                count++;
                            }
                        }

                        result.Pixels[(((y * image.Width) + x) * 4) + c] = (byte)(sum / count);
                    }
                }
            }
        }

        return result;
    }

    // The scene turned about the face centre (the face stays where it was), corners mirrored from the scene.
    private static RgbaImage RotateAbout(RgbaImage image, double degrees, double cx, double cy)
    {
        var result = new RgbaImage(image.Width, image.Height);
        double radians = degrees * Math.PI / 180, cos = Math.Cos(radians), sin = Math.Sin(radians);
        for (int y = 0; y < image.Height; y++)
        {
            var row = result.Row(y);
            for (int x = 0; x < image.Width; x++)
            {
                double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
                int sx = Mirror((int)Math.Floor(cx + (cos * dx) + (sin * dy)), image.Width);
                int sy = Mirror((int)Math.Floor(cy - (sin * dx) + (cos * dy)), image.Height);
                image.Pixels.AsSpan(((sy * image.Width) + sx) * 4, 4).CopyTo(row.Slice(4 * x, 4));
            }
        }

        return result;
    }

    private static int Mirror(int v, int size)
    {
        int period = 2 * size;
        v = ((v % period) + period) % period;
        return v < size ? v : period - 1 - v;
    }
}
