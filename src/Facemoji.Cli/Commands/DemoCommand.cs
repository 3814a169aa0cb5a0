using System.CommandLine;
using Facemoji.Cli.Commands.Analysis;
using Facemoji.Emoji;
using Facemoji.Emoji.Display;
using Facemoji.Engine;
using Facemoji.Engine.Serialization;
using Facemoji.Expressions;
using Facemoji.Pipeline;
using Facemoji.Pipeline.Annotation;
using Spectre.Console;

namespace Facemoji.Cli.Commands;

/// <summary>
/// <c>facemoji demo</c>: the whole pipeline on the sample photo (astronaut.png from Debian's python3-skimage,
/// which the set-up unpacks into third_party/skimage, and which the installed tool carries in samples/ beside
/// facemoji.dll): the faces, their readings, and an annotated picture in each display mode.
/// </summary>
public static class DemoCommand
{
    public const string SampleRelativePath = "third_party/skimage/astronaut.png";

    /// <summary>Where the NuGet tool (and make build) put the sample, beside facemoji.dll.</summary>
    public const string InstalledSampleRelativePath = "samples/astronaut.png";

    public const string DefaultOutputFolder = "out/demo";

    private const string AllModes = "all";

    public static Command Create()
    {
        var input = new Option<string?>("--input") { Description = "Another photo instead of the sample." };
        var output = CommonOptions.Output($"Folder for the pictures (default: {DefaultOutputFolder}).");
        var pack = CommonOptions.Pack();
        // The demo shows every mode unless one is named: the one verb whose --mode has no single default.
        var mode = CommonOptions.Choice("--mode", "Only this display mode: cover, badge or panel (default: all three).", AllModes, [.. CommonOptions.Modes, AllModes]);
        var model = CommonOptions.Model();
        var detector = DetectorOption.Create();

        var command = new Command("demo", "Run the pipeline on the sample photo and write annotated pictures.") { input, output, pack, mode, model, detector };
        command.SetAction(parseResult =>
        {
            string photo = parseResult.GetValue(input) ?? LocateSample();
            string modelPath = parseResult.GetValue(model) ?? ShippedModel.Locate();
            var analyzer = FaceAnalyzer.Create(new AnalyzerOptions { ModelPath = modelPath, Detector = parseResult.GetValue(detector) });
            var emojiPack = EmojiPacks.Resolve(parseResult.GetValue(pack));
            var modes = parseResult.GetValue(mode) is { } only && only != AllModes ? [CommonOptions.ToDisplayMode(only)] : Enum.GetValues<DisplayMode>();
            var pictures = DisplayModePictures.Write(photo, parseResult.GetValue(output) ?? DefaultOutputFolder, analyzer, emojiPack, modes);

            CliConsole.Out.MarkupLine($"[bold]{Markup.Escape(photo)}[/]: {pictures.Width}x{pictures.Height}, {pictures.Faces.Count} face(s), model {Markup.Escape(analyzer.Classifier.Header.Architecture)}");
            CliConsole.Out.WriteLine($"model: {CommonOptions.DescribeModelFile(modelPath)}");
            foreach (var face in pictures.Faces)
            {
                WriteFace(face);
            }

            foreach (var (displayMode, path) in pictures.Written)
            {
                CliConsole.Out.MarkupLine($"wrote [green]{Markup.Escape(path)}[/] ({displayMode.ToString().ToLowerInvariant()}, pack {Markup.Escape(emojiPack.Name)})");
            }

            return 0;
        });
        return command;
    }

    private static void WriteFace(FaceAnalysis face)
    {
        var r = face.Reading;
        CliConsole.Out.MarkupLine($"  {UnicodeEmoji.For(r)}  {r.Emotion.Name()} ({r.Intensity.ToString().ToLowerInvariant()}), confidence {r.Confidence:P0}, box {face.Box.X},{face.Box.Y} {face.Box.Width}x{face.Box.Height}");
        var bars = new BarChart().Width(50);
        for (int i = 0; i < EmotionNames.Count; i++)
        {
            bars.AddItem(EmotionNames.Canonical[i], Math.Round(r.Probabilities[i] * 100, 1), i == (int)r.Emotion ? Color.Yellow : Color.Grey);
        }

        CliConsole.Out.Write(bars);
    }

    private static string LocateSample()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, SampleRelativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        string installed = Path.Combine(AppContext.BaseDirectory, InstalledSampleRelativePath);
        if (File.Exists(installed))
        {
            return installed;
        }

        throw new FacemojiException($"The sample photo {SampleRelativePath} is missing: run tools/setup.sh (make demo does), or pass --input PHOTO.");
    }
}
