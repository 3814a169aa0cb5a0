using System.CommandLine;
using Facemoji.Pipeline;

namespace Facemoji.Cli.Commands.Analysis;

/// <summary><c>--detector blazeface|blazeface-full|haar|lbp</c>, shared by image, video, demo and serve.</summary>
public static class DetectorOption
{
    public static Option<string> Create() => CommonOptions.Choice(
        "--detector",
        "Face detector: blazeface (MediaPipe short range), blazeface-full (full range), haar or lbp (OpenCV cascades).",
        FaceDetectors.Default,
        [.. FaceDetectors.Names]);
}
