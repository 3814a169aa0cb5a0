using Facemoji.Engine;

namespace Facemoji.Vision.Detection;

/// <summary>
/// The parameters of OpenCV's <c>detectMultiScale</c>. Defaults are ours (min neighbours 5, faces of at least
/// 40x40 pixels); <see cref="OpenCvDefaults"/> has OpenCV's own (3 neighbours, no minimum size).
/// </summary>
public sealed record DetectionOptions
{
    /// <summary>The image shrinks by this factor from one scale to the next (OpenCV's scaleFactor); must be &gt; 1.</summary>
    public double ScaleFactor { get; init; } = 1.1;

    /// <summary>A face is kept when more than this many raw windows agree (0 returns the raw windows ungrouped).</summary>
    public int MinNeighbors { get; init; } = 5;

    public int MinWidth { get; init; } = 40;

    public int MinHeight { get; init; } = 40;

    /// <summary>Largest face width considered; 0 means the image size.</summary>
    public int MaxWidth { get; init; }

    /// <summary>Largest face height considered; 0 means the image size.</summary>
    public int MaxHeight { get; init; }

    /// <summary>Our defaults: scale factor 1.1, 5 neighbours, faces from 40x40.</summary>
    public static DetectionOptions Default { get; } = new();

    /// <summary>OpenCV's defaults for detectMultiScale: scale factor 1.1, 3 neighbours, no size limits.</summary>
    public static DetectionOptions OpenCvDefaults { get; } = new() { MinNeighbors = 3, MinWidth = 0, MinHeight = 0 };

    /// <summary>Throws a <see cref="FacemojiException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (!(ScaleFactor > 1.0001) || !double.IsFinite(ScaleFactor) || ScaleFactor > 10)
        {
            throw new FacemojiException($"Detection scale factor {ScaleFactor} is not valid: it must be greater than 1 (e.g. 1.1) and at most 10.");
        }

        if (MinNeighbors < 0)
        {
            throw new FacemojiException($"Detection min neighbours {MinNeighbors} is not valid: it must be 0 or more.");
        }

        if (MinWidth < 0 || MinHeight < 0 || MaxWidth < 0 || MaxHeight < 0)
        {
            throw new FacemojiException($"Detection sizes must not be negative (min {MinWidth}x{MinHeight}, max {MaxWidth}x{MaxHeight}).");
        }
    }
}
