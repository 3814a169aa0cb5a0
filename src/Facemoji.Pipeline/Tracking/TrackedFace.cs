using Facemoji.Expressions;
using Facemoji.Imaging;

namespace Facemoji.Pipeline.Tracking;

/// <summary>One face followed across video frames: a stable id, its (smoothed) box and its smoothed reading.</summary>
public sealed record TrackedFace(int TrackId, PixelRect Box, ExpressionReading Reading, int FramesSinceSeen)
{
    /// <summary>The mean detector score of the track's detections, in [0, 1].</summary>
    public double Score { get; init; } = 1;

    /// <summary>In how many frames the face was detected (persistence).</summary>
    public int Hits { get; init; }

    /// <summary>The head's roll, degrees, clockwise positive, smoothed over frames; null when the detector gives no landmarks.</summary>
    public double? Roll { get; init; }
}
