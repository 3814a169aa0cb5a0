using Facemoji.Imaging;

namespace Facemoji.Vision.Detection;

/// <summary>
/// A face detector the pipeline can use: the Haar/LBP cascades (<see cref="CascadeFaceDetector"/>) or BlazeFace
/// (<see cref="BlazeFace.BlazeFaceDetector"/>). Each call gets the frame in gray and, when the caller has it, in
/// colour; a detector uses whichever it needs. Not meant for concurrent calls: one detector per thread.
/// </summary>
public interface IFaceDetector
{
    /// <summary>The name the command line uses (haar, lbp, blazeface, blazeface-full, or a cascade file's name).</summary>
    string Name { get; }

    /// <summary>The faces of the whole frame.</summary>
    IReadOnlyList<DetectedFace> Detect(GrayImage gray, RgbaImage? color);

    /// <summary>
    /// The faces near a face seen before at <paramref name="near"/> (video tracking): the region around it, for a
    /// detector that follows rolled heads also turned by its last roll.
    /// </summary>
    IReadOnlyList<DetectedFace> DetectNear(GrayImage gray, RgbaImage? color, DetectedFace near);
}
