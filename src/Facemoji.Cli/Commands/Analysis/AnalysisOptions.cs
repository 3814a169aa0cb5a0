using System.CommandLine;
using Facemoji.Emoji;
using Facemoji.Emoji.Display;
using Facemoji.Engine;
using Facemoji.Engine.Serialization;
using Facemoji.Pipeline;
using Facemoji.Vision.Detection;

namespace Facemoji.Cli.Commands.Analysis;

/// <summary>
/// The options of the verbs that analyse faces (image, video, demo): the model, the cascade, the detector's
/// settings, the emoji pack and the display mode. Create one per command, <see cref="AddTo"/> it, then read it.
/// </summary>
/// <param name="photos">Whether the verb analyses photos, whose BlazeFace search --thorough changes (a video's search is
/// its own: every look on the first frame, then spread over the frames).</param>
public sealed class AnalysisOptions(bool photos = false)
{
    public Option<string?> Model { get; } = CommonOptions.Model();

    public Option<string> Detector { get; } = DetectorOption.Create();

    public Option<string?> Cascade { get; } = CommonOptions.Cascade();

    public Option<double> ScaleFactor { get; } = new("--scale-factor") { Description = "Detector pyramid step.", DefaultValueFactory = _ => DetectionOptions.Default.ScaleFactor };

    public Option<int> MinNeighbors { get; } = new("--min-neighbors") { Description = "Detections a face needs to count.", DefaultValueFactory = _ => DetectionOptions.Default.MinNeighbors };

    public Option<int> MinSize { get; } = new("--min-size") { Description = "Smallest face, in pixels.", DefaultValueFactory = _ => DetectionOptions.Default.MinWidth };

    public Option<bool> Thorough { get; } = new("--thorough")
    {
        Description = "BlazeFace: search every stage of each photo (whole frame, turned, tiles) for more faces, even after one was found (finds a small or turned face beside it; several times the looks).",
    };

    public Option<string> Pack { get; } = CommonOptions.Pack();

    public Option<string> Mode { get; } = CommonOptions.Mode();

    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(Detector);
        command.Options.Add(Cascade);
        command.Options.Add(ScaleFactor);
        command.Options.Add(MinNeighbors);
        command.Options.Add(MinSize);
        if (photos)
        {
            command.Options.Add(Thorough);
        }
        command.Options.Add(Pack);
        command.Options.Add(Mode);
    }

    public FaceAnalyzer CreateAnalyzer(ParseResult parseResult)
    {
        var detection = DetectionOptions.Default with
        {
            ScaleFactor = parseResult.GetValue(ScaleFactor),
            MinNeighbors = parseResult.GetValue(MinNeighbors),
            MinWidth = parseResult.GetValue(MinSize),
            MinHeight = parseResult.GetValue(MinSize),
        };
        try
        {
            detection.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new FacemojiException($"detector settings: {ex.Message}");
        }

        // A cascade file without --detector asks for a cascade detector (haar), as it did when haar was the default.
        string? cascade = parseResult.GetValue(Cascade);
        bool detectorGiven = parseResult.GetResult(Detector) is { Implicit: false };
        return FaceAnalyzer.Create(new AnalyzerOptions
        {
            ModelPath = ModelPath(parseResult),
            Detector = cascade is not null && !detectorGiven ? FaceDetectors.Haar : parseResult.GetValue(Detector),
            CascadePath = parseResult.GetValue(Cascade),
            Detection = detection,
            Thorough = photos && parseResult.GetValue(Thorough),
        });
    }

    /// <summary>The model file that runs: --model, else the shipped one.</summary>
    public string ModelPath(ParseResult parseResult) => parseResult.GetValue(Model) ?? ShippedModel.Locate();

    /// <summary>"model: PATH (sha256 …)", the line each run prints.</summary>
    public string DescribeModel(ParseResult parseResult) => $"model: {CommonOptions.DescribeModelFile(ModelPath(parseResult))}";

    public IEmojiPack ResolvePack(ParseResult parseResult) => EmojiPacks.Resolve(parseResult.GetValue(Pack));

    public DisplayMode ReadMode(ParseResult parseResult) => CommonOptions.ToDisplayMode(parseResult.GetValue(Mode)!);
}
