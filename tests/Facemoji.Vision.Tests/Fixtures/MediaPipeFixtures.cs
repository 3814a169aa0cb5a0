using System.Text.Json;
using Facemoji.Imaging;

namespace Facemoji.Vision.Tests.Fixtures;

/// <summary>
/// What tools/make_mediapipe_fixtures.py saved from MediaPipe itself (its face detection JavaScript solution in headless
/// Chromium) on the skimage photos and versions of them, and the same pictures made again here: every step of
/// tools/mediapipe_fixtures/fixtures.js repeated with the same arithmetic, checked against the checksums it saved.
/// </summary>
public sealed class MediaPipeFixtures
{
    private const byte CanvasGray = 96;

    private static readonly JsonSerializerOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

    private static readonly Lazy<MediaPipeFixtures> Cached = new(() =>
    {
        string json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "mediapipe", "mediapipe_detections.json"));
        return JsonSerializer.Deserialize<MediaPipeFixtures>(json, CaseInsensitive)!;
    });

    private static readonly Lazy<Dictionary<string, RgbaImage>> Photos = new(() =>
        new[] { "astronaut", "camera", "coffee", "chelsea" }.ToDictionary(n => n, n => ImageCodecs.Load(RepositoryFiles.ThirdParty("skimage", n + ".png"))));

    // The pictures of fixtures.js's CASES, in its words.
    private static readonly Dictionary<string, Func<Func<string, RgbaImage>, RgbaImage>> Cases = new()
    {
        ["astronaut"] = p => p("astronaut"),
        ["astronaut_mirrored"] = p => Mirror(p("astronaut")),
        ["astronaut_turned_cw30"] = p => Turn(p("astronaut"), 30),
        ["astronaut_turned_ccw30"] = p => Turn(p("astronaut"), -30),
        ["astronaut_turned_cw45"] = p => Turn(p("astronaut"), 45),
        ["astronaut_dark"] = p => Darken(p("astronaut"), 0.35),
        ["astronaut_tall_crop"] = p => Crop(p("astronaut"), 100, 0, 300, 512),
        ["astronaut_pair_1024x512"] = p => Paste(Paste(Canvas(1024, 512), p("astronaut"), 0, 0), Mirror(p("astronaut")), 512, 0),
        ["astronaut_half_640x480"] = p => Paste(Canvas(640, 480), Shrink(p("astronaut"), 2), 300, 150),
        ["astronaut_third_640x480"] = p => Paste(Canvas(640, 480), Shrink(p("astronaut"), 3), 60, 200),
        ["astronaut_quarter_640x480"] = p => Paste(Canvas(640, 480), Shrink(p("astronaut"), 4), 400, 260),
        ["astronaut_collage_640x480"] = p => Paste(Paste(Canvas(640, 480), Shrink(p("astronaut"), 2), 40, 112), Shrink(p("astronaut"), 4), 440, 40),
        ["camera"] = p => p("camera"),
        ["coffee"] = p => p("coffee"),
        ["chelsea"] = p => p("chelsea"),
    };

    public static MediaPipeFixtures Load() => Cached.Value;

    /// <summary>How the fixture was made (generator, MediaPipe package and browser).</summary>
    public string MediaPipe { get; set; } = "";

    public Dictionary<string, string> PhotoChecksums { get; set; } = [];

    public List<FixtureImage> Images { get; set; } = [];

    public List<FixtureRun> Runs { get; set; } = [];

    public FixtureRun Run(string name) => Runs.Single(r => r.Name == name);

    /// <summary>The skimage photo as the tests load it (third_party/skimage, unpacked by tools/setup.sh).</summary>
    public static RgbaImage Photo(string name) => Photos.Value[name];

    /// <summary>The picture MediaPipe was shown under this name, made again from the photos.</summary>
    public static RgbaImage Picture(string name) => Cases.TryGetValue(name, out var make)
        ? make(Photo)
        : throw new KeyNotFoundException($"The MediaPipe fixture names a picture '{name}' this file does not know how to make.");

    /// <summary>FNV-1a (32 bits) over the R, G, B bytes, row by row, as fixtures.js computes it.</summary>
    public static string Checksum(RgbaImage image)
    {
        uint hash = 0x811c9dc5;
        for (int i = 0; i < image.Pixels.Length; i++)
        {
            if (i % 4 != 3)
            {
                hash = unchecked((hash ^ image.Pixels[i]) * 0x01000193);
            }
        }

        return hash.ToString("x8");
    }

    private static RgbaImage Canvas(int width, int height)
    {
        var image = new RgbaImage(width, height);
        for (int i = 0; i < image.Pixels.Length; i += 4)
        {
            image.Pixels[i] = image.Pixels[i + 1] = image.Pixels[i + 2] = CanvasGray;
            image.Pixels[i + 3] = 255;
        }

        return image;
    }

    // Turned clockwise by degrees about the picture's centre, same size, bilinear, black outside (fixtures.js turn).
    private static RgbaImage Turn(RgbaImage src, double degrees)
    {
        int w = src.Width, h = src.Height;
        var output = new RgbaImage(w, h);
        double r = degrees * Math.PI / 180, cos = Math.Cos(r), sin = Math.Sin(r), cx = w / 2.0, cy = h / 2.0;
        double At(int x, int y, int c) => x < 0 || y < 0 || x >= w || y >= h ? 0 : src.Pixels[(((y * w) + x) * 4) + c];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
                double sx = cx + (cos * dx) + (sin * dy) - 0.5, sy = cy - (sin * dx) + (cos * dy) - 0.5;
                int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                double fx = sx - x0, fy = sy - y0;
                int o = ((y * w) + x) * 4;
                for (int c = 0; c < 3; c++)
                {
                    double top = At(x0, y0, c) + ((At(x0 + 1, y0, c) - At(x0, y0, c)) * fx);
                    double bottom = At(x0, y0 + 1, c) + ((At(x0 + 1, y0 + 1, c) - At(x0, y0 + 1, c)) * fx);
                    output.Pixels[o + c] = (byte)Math.Floor(top + ((bottom - top) * fy) + 0.5);
                }

                output.Pixels[o + 3] = 255;
            }
        }

        return output;
    }

    // Mean of each k x k block, rounded half up.
    private static RgbaImage Shrink(RgbaImage src, int k)
    {
        int w = src.Width / k, h = src.Height / k;
        var output = new RgbaImage(w, h);
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    int sum = 0;
                    for (int j = 0; j < k; j++)
                    {
                        for (int i = 0; i < k; i++)
                        {
                            sum += src.Pixels[(((((y * k) + j) * src.Width) + (x * k) + i) * 4) + c];
                        }
                    }

                    output.Pixels[(((y * w) + x) * 4) + c] = (byte)(((2 * sum) + (k * k)) / (2 * k * k));
                }

                output.Pixels[(((y * w) + x) * 4) + 3] = 255;
            }
        }

        return output;
    }

    private static RgbaImage Paste(RgbaImage dst, RgbaImage src, int left, int top)
    {
        for (int y = 0; y < src.Height; y++)
        {
            src.Row(y).CopyTo(dst.Row(top + y).Slice(4 * left, 4 * src.Width));
        }

        return dst;
    }

    private static RgbaImage Darken(RgbaImage src, double factor)
    {
        var output = new RgbaImage(src.Width, src.Height);
        for (int i = 0; i < src.Pixels.Length; i++)
        {
            output.Pixels[i] = i % 4 == 3 ? (byte)255 : (byte)Math.Floor((src.Pixels[i] * factor) + 0.5);
        }

        return output;
    }

    private static RgbaImage Mirror(RgbaImage src)
    {
        int w = src.Width;
        var output = new RgbaImage(w, src.Height);
        for (int y = 0; y < src.Height; y++)
        {
            for (int x = 0; x < w; x++)
            {
                src.Pixels.AsSpan((((y * w) + (w - 1 - x)) * 4), 4).CopyTo(output.Pixels.AsSpan(((y * w) + x) * 4, 4));
            }
        }

        return output;
    }

    private static RgbaImage Crop(RgbaImage src, int left, int top, int width, int height)
    {
        var output = new RgbaImage(width, height);
        for (int y = 0; y < height; y++)
        {
            src.Row(top + y).Slice(4 * left, 4 * width).CopyTo(output.Row(y));
        }

        return output;
    }

    public sealed class FixtureImage
    {
        public string Name { get; set; } = "";

        public int Width { get; set; }

        public int Height { get; set; }

        public string Checksum { get; set; } = "";

        public override string ToString() => Name;
    }

    public sealed class FixtureRun
    {
        /// <summary>short, full (the dense full-range model our engine runs), short_webgl, full_webgl, or full_sparse (MediaPipe's JS default model).</summary>
        public string Name { get; set; } = "";

        /// <summary>The JS solution's model option: short or full.</summary>
        public string Model { get; set; } = "";

        /// <summary>The .tflite file MediaPipe's graph ran.</summary>
        public string File { get; set; } = "";

        /// <summary>TFLite on the CPU (XNNPACK) rather than MediaPipe's WebGL inference.</summary>
        public bool UseCpuInference { get; set; }

        public List<FixtureCase> Cases { get; set; } = [];

        public FixtureCase Case(string image) => Cases.Single(c => c.Image == image);
    }

    public sealed class FixtureCase
    {
        public string Image { get; set; } = "";

        public List<FixtureFace> Faces { get; set; } = [];
    }

    public sealed class FixtureFace
    {
        public double Score { get; set; }

        /// <summary>Left, top, width, height in pixels of the picture.</summary>
        public double[] Box { get; set; } = [];

        /// <summary>Six (x, y) in pixels, in MediaPipe's order (right eye, left eye, nose tip, mouth, right ear, left ear).</summary>
        public double[][] Keypoints { get; set; } = [];
    }
}
