using Facemoji.Vision.Detection;

namespace Facemoji.Pipeline;

/// <summary>What a <see cref="FaceAnalyzer"/> uses: the model file, the face detector, its cascade and the cascade's settings.</summary>
public sealed record AnalyzerOptions
{
    /// <summary>A model file; null means the shipped model (<see cref="ShippedModel"/>, models/facemoji.fmj).</summary>
    public string? ModelPath { get; init; }

    /// <summary>The face detector: blazeface, blazeface-full, haar or lbp (<see cref="FaceDetectors"/>); null means <see cref="FaceDetectors.Default"/> (blazeface), or haar when <see cref="CascadePath"/> is set.</summary>
    public string? Detector { get; init; }

    /// <summary>An OpenCV cascade XML for haar or lbp; null means Haar frontalface_default from Debian's opencv-data.</summary>
    public string? CascadePath { get; init; }

    /// <summary>Scale factor 1.1, min neighbours 5, min size 40 unless set.</summary>
    public DetectionOptions Detection { get; init; } = DetectionOptions.Default;

    /// <summary>
    /// For blazeface and blazeface-full: faces scored below this (0 to 1) are dropped; null means the detector's own
    /// (<see cref="Vision.Detection.BlazeFace.BlazeFaceDetector.MinScore"/>, 0.6). The cascades ignore it (their
    /// counterpart is <see cref="DetectionOptions.MinNeighbors"/>).
    /// </summary>
    public double? MinFaceScore { get; init; }

    /// <summary>
    /// For blazeface and blazeface-full: the photo search runs every stage (the whole frame upright, turned, then the
    /// tiles) instead of stopping after the first that finds a face, so a smaller or turned face beside it is found
    /// too, at the cost of more looks (<see cref="Vision.Detection.BlazeFace.BlazeFaceDetector.StopWhenFound"/>). The
    /// cascades ignore it (they always scan the whole pyramid).
    /// </summary>
    public bool Thorough { get; init; }
}
