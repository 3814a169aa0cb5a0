using System.Text.Json;
using System.Text.Json.Serialization;
using Facemoji.Imaging;
using Facemoji.Vision.Detection;

namespace Facemoji.Vision.Tests.Fixtures;

/// <summary>What tools/make_detector_fixtures.py saved from OpenCV 4.6: images, detections per case, resize/integral checks.</summary>
public sealed class DetectorFixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "detector");

    private static readonly JsonSerializerOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

    private static readonly Lazy<DetectorFixtures> Cached = new(() =>
    {
        string json = File.ReadAllText(Path.Combine(Directory, "opencv_detections.json"));
        return JsonSerializer.Deserialize<DetectorFixtures>(json, CaseInsensitive)!;
    });

    public static DetectorFixtures Load() => Cached.Value;

    public string OpenCv { get; set; } = "";

    public List<FixtureImage> Images { get; set; } = [];

    public List<FixtureCase> Cases { get; set; } = [];

    public FixtureChecks Checks { get; set; } = new();

    public GrayImage ReadImage(string name) => PgmFile.Read(Path.Combine(Directory, Images.Single(i => i.Name == name).File));

    public sealed class FixtureImage
    {
        public string Name { get; set; } = "";

        public string File { get; set; } = "";

        public int Width { get; set; }

        public int Height { get; set; }
    }

    public sealed class FixtureCase
    {
        public string Image { get; set; } = "";

        public string Cascade { get; set; } = "";

        public string Params { get; set; } = "";

        public double ScaleFactor { get; set; }

        public int MinNeighbors { get; set; }

        public int[] MinSize { get; set; } = [];

        public int[] MaxSize { get; set; } = [];

        public int[][] Boxes { get; set; } = [];

        [JsonIgnore]
        public string CascadePath => Path.Combine("/usr/share/opencv4", Cascade);

        public DetectionOptions ToOptions() => new()
        {
            ScaleFactor = ScaleFactor,
            MinNeighbors = MinNeighbors,
            MinWidth = MinSize[0],
            MinHeight = MinSize[1],
            MaxWidth = MaxSize[0],
            MaxHeight = MaxSize[1],
        };

        public List<PixelRect> ExpectedBoxes() => Boxes.Select(b => new PixelRect(b[0], b[1], b[2], b[3])).ToList();

        public override string ToString() => $"{Cascade} on {Image} ({Params})";
    }

    public sealed class FixtureChecks
    {
        public FixturePixels Source { get; set; } = new();

        public List<FixturePixels> Resizes { get; set; } = [];

        public long[] Sum { get; set; } = [];

        public long[] Squares { get; set; } = [];

        public long[] Tilted { get; set; } = [];
    }

    public sealed class FixturePixels
    {
        public int Width { get; set; }

        public int Height { get; set; }

        public int[] Pixels { get; set; } = [];
    }
}
