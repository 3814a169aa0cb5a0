using Facemoji.Expressions;
using Facemoji.Imaging;

namespace Facemoji.Cli.Tests.Commands;

public class PacksCommandTests
{
    [Fact]
    public void List_succeeds()
    {
        Program.Main(["packs", "list"]).Should().Be(0);
    }

    [Fact]
    public void Show_writes_a_contact_sheet_png()
    {
        string path = Path.Combine(Path.GetTempPath(), $"facemoji-sheet-{Guid.NewGuid():N}.png");
        try
        {
            Program.Main(["packs", "show", "facemoji", "--out", path, "--size", "32"]).Should().Be(0);
            var sheet = ImageCodecs.Decode(File.ReadAllBytes(path), path);
            sheet.Width.Should().BeGreaterThan(7 * 32);
            sheet.Height.Should().BeGreaterThan(3 * 32);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Show_of_an_unknown_pack_is_a_user_error()
    {
        Program.Main(["packs", "show", "no-such-pack-anywhere"]).Should().Be(CliErrors.UserError);
    }

    [Fact]
    public void Validate_accepts_a_good_pack_and_refuses_a_broken_one()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"facemoji-cli-pack-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var image = new RgbaImage(8, 8);
            image.Pixels.AsSpan().Fill(200);
            var emotions = new Dictionary<string, string>();
            foreach (string name in EmotionNames.Canonical)
            {
                File.WriteAllBytes(Path.Combine(folder, name + ".png"), ImageCodecs.Encode(image, ImageFileFormat.Png));
                emotions[name] = name + ".png";
            }

            string Manifest() => System.Text.Json.JsonSerializer.Serialize(new { name = "cli", author = "me", licence = "CC0-1.0", emotions });
            File.WriteAllText(Path.Combine(folder, "pack.json"), Manifest());
            Program.Main(["packs", "validate", folder]).Should().Be(0);

            File.Delete(Path.Combine(folder, "sad.png"));
            Program.Main(["packs", "validate", folder]).Should().Be(CliErrors.UserError);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
