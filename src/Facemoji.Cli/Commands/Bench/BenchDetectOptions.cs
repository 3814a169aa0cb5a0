using System.CommandLine;
using Facemoji.Benchmarks.Detection;
using Facemoji.Cli.Commands.Analysis;
using Facemoji.Pipeline;

namespace Facemoji.Cli.Commands.Bench;

/// <summary>
/// The options of <c>facemoji bench detect</c>: the cascade benchmark's frame and detection settings, and those of
/// its three other measurements (<c>--wild</c>, <c>--framing</c>, <c>--detector</c>).
/// </summary>
internal sealed class BenchDetectOptions
{
    public Option<string?> Framing { get; } = new("--framing") { Description = "Measure how FER2013 frames BlazeFace's boxes, with the PublicTest images in this folder (e.g. ../shared/data/fer2013/test)." };

    public Option<string?> Wild { get; } = new("--wild") { Description = "Run the faces-in-the-wild check instead, with FER2013 test faces from this folder (e.g. ../shared/data/fer2013/test)." };

    public Option<string[]> Detectors { get; } = new("--detectors") { Description = "Detectors the wild check compares.", DefaultValueFactory = _ => [.. FaceDetectors.Names], AllowMultipleArgumentsPerToken = true };

    public Option<int> PerClass { get; } = new("--per-class") { Description = "Wild check: FER2013 test faces per class.", DefaultValueFactory = _ => 20 };

    public Option<string?> Model { get; } = CommonOptions.Model();

    /// <summary>The same <c>--detector</c> as image, video, demo and serve; given explicitly, it times that detector on one thread instead of running the cascade benchmark.</summary>
    public Option<string> Detector { get; } = DetectorOption.Create();

    public Option<string> Frame { get; } = new("--frame") { Description = "An 8-bit binary PGM (P5) frame.", DefaultValueFactory = _ => DetectionBenchmark.DefaultFrame };

    public Option<string?> Cascade { get; } = CommonOptions.Cascade();

    public Option<double> ScaleFactor { get; } = new("--scale-factor") { Description = "Pyramid step.", DefaultValueFactory = _ => 1.1 };

    public Option<int> MinNeighbors { get; } = new("--min-neighbors") { Description = "Grouping threshold.", DefaultValueFactory = _ => 5 };

    public Option<int> MinSize { get; } = new("--min-size") { Description = "Smallest face side in pixels.", DefaultValueFactory = _ => 40 };

    /// <summary>Adds the options in the order help lists them, the common bench options among them.</summary>
    public void AddTo(Command command, BenchCommonOptions common)
    {
        command.Options.Add(Framing);
        command.Options.Add(Wild);
        command.Options.Add(Detectors);
        command.Options.Add(PerClass);
        command.Options.Add(Model);
        command.Options.Add(Detector);
        common.AddTo(command);
        command.Options.Add(Frame);
        command.Options.Add(Cascade);
        command.Options.Add(ScaleFactor);
        command.Options.Add(MinNeighbors);
        command.Options.Add(MinSize);
    }
}
