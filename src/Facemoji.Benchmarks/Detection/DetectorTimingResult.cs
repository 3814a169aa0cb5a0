namespace Facemoji.Benchmarks.Detection;

/// <summary>
/// One way of running a detector (<see cref="Label"/>): the median milliseconds per <see cref="Width"/>x<see cref="Height"/>
/// frame over <see cref="Repeats"/> repeats of <see cref="FramesPerRepeat"/> frames, and the faces it found.
/// </summary>
public sealed record DetectorTimingResult(string Label, double MedianMilliseconds, int Faces, int Width, int Height, int Repeats, int FramesPerRepeat);
