using Facemoji.Expressions;
using Facemoji.Imaging;
using Facemoji.Vision.Detection;

namespace Facemoji.Pipeline;

/// <summary>
/// One face in an image: where it is and what it expresses. A detector with landmarks (BlazeFace) also gives
/// the head's roll (degrees, clockwise positive) and the named points of <see cref="FaceLandmarks.Names"/>;
/// the cascades give roll 0 and no points.
/// </summary>
public sealed record FaceAnalysis(PixelRect Box, ExpressionReading Reading)
{
    public double Roll { get; init; }

    public IReadOnlyList<FacePoint> Landmarks { get; init; } = [];

    /// <summary>The detector's confidence in the box, in [0, 1] (BlazeFace: its sigmoid score; cascades: see <see cref="CascadeFaceDetector.NeighbourScore"/>).</summary>
    public double Score { get; init; } = 1;
}
