using Facemoji.Expressions;
using Facemoji.Imaging;

namespace Facemoji.Pipeline.Tracking;

/// <summary>One face followed across video frames: a stable id, its (smoothed) box and its smoothed reading.</summary>
public sealed record TrackedFace(int TrackId, PixelRect Box, ExpressionReading Reading, int FramesSinceSeen);
