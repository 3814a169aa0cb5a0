using System.Text.Json.Nodes;
using Facemoji.Expressions;
using Facemoji.Imaging;

namespace Facemoji.Emoji.Tests.Support;

/// <summary>A user pack folder built inside a test: a valid pack that each test then breaks in one way.</summary>
public sealed class TemporaryPack : IDisposable
{
    public TemporaryPack()
    {
        Folder = Path.Combine(Path.GetTempPath(), $"facemoji-pack-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
        Manifest = new JsonObject
        {
            ["name"] = "testpack",
            ["author"] = "Test Author",
            ["licence"] = "CC0-1.0",
            ["emotions"] = new JsonObject(),
        };

        foreach (Emotion emotion in Enum.GetValues<Emotion>())
        {
            string file = $"{emotion.Name()}.png";
            WriteImage(file, Swatch(24, 20, (byte)(30 * (int)emotion)));
            Emotions[emotion.Name()] = file;
        }

        // Happy has one image per intensity.
        WriteImage("happy-mild.png", Swatch(16, 16, 10));
        WriteImage("happy-strong.png", Swatch(16, 16, 250));
        Emotions["happy"] = new JsonArray("happy-mild.png", "happy.png", "happy-strong.png");
        Save();
    }

    public string Folder { get; }

    public JsonObject Manifest { get; }

    public JsonObject Emotions => Manifest["emotions"]!.AsObject();

    public static RgbaImage Swatch(int width, int height, byte red)
    {
        var image = new RgbaImage(width, height);
        for (int i = 0; i < width * height; i++)
        {
            image.Pixels[i * 4] = red;
            image.Pixels[i * 4 + 1] = 128;
            image.Pixels[i * 4 + 2] = (byte)(255 - red);
            image.Pixels[i * 4 + 3] = 255;
        }

        return image;
    }

    public void WriteImage(string relative, RgbaImage image) => File.WriteAllBytes(Path.Combine(Folder, relative), ImageCodecs.Encode(image, ImageFileFormat.Png));

    public void Save() => File.WriteAllText(Path.Combine(Folder, "pack.json"), Manifest.ToJsonString());

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
