namespace Facemoji.Vision.Detection;

/// <summary>
/// One level of the pyramid (OpenCV's FeatureEvaluator::ScaleData): the image shrunk by <see cref="Scale"/> to
/// Width x Height, its integral tables at <see cref="Origin"/> in the shared buffer, and the window positions
/// to visit: x in [0, WorkWidth), y in [0, WorkHeight), every <see cref="Step"/> pixels.
/// </summary>
internal sealed class ScaleLayer
{
    public required float Scale { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    /// <summary>2 below scale 2, else 1 (OpenCV: ystep = scale &gt;= 2 ? 1 : 2).</summary>
    public required int Step { get; init; }

    /// <summary>Index of table entry (0, 0) of this layer's sum table in the shared buffer.</summary>
    public required int Origin { get; init; }

    public required int WorkWidth { get; init; }

    public required int WorkHeight { get; init; }

    /// <summary>Size of a detection at this scale in the original image: cvRound(window * scale).</summary>
    public required int DetectionWidth { get; init; }

    public required int DetectionHeight { get; init; }

    public required LinearExactResize Resize { get; init; }

    /// <summary>The shrunk image (reused every frame).</summary>
    public required byte[] Pixels { get; init; }

    /// <summary>Rows per stripe (a multiple of <see cref="Step"/>), OpenCV's stripeSizes.</summary>
    public int StripeRows { get; set; }
}
