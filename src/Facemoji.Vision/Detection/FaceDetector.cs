using Facemoji.Imaging;
using Facemoji.Imaging.Processing;
using Facemoji.Vision.Cascades;

namespace Facemoji.Vision.Detection;

/// <summary>
/// Finds faces (or whatever the cascade was trained on) as OpenCV 4.6's <c>CascadeClassifier::detectMultiScale</c>
/// does: shrink the image step by step, slide the cascade's window over each level, group the raw hits with
/// <see cref="RectangleGrouping"/> and clip them to the image. Buffers are reused between calls with the same
/// image size and options (the last few sizes are kept, for region detection around tracked faces). One instance is not meant for concurrent calls (calls are serialised by a lock);
/// use one detector per thread for parallel streams.
/// </summary>
public sealed class FaceDetector
{
    private readonly object gate = new();
    // Workspaces for the last few image sizes (full frames and the regions around tracked faces), most recent first.
    private const int WorkspaceCacheSize = 6;

    /// <summary>
    /// The most pixels in the first (largest) level of the scan pyramid. The pyramid's levels are stacked in one
    /// integral buffer of about 11 times the first level's rows (scale factor 1.1) at 8 bytes an entry, so this
    /// bounds the detector's memory to about 250 MB. An image whose first level would be larger (its pixels
    /// divided by (minimum face / window)^2) is shrunk (area average) until its first level fits, the scan starts
    /// at the cascade's window, and the boxes are scaled back: the smallest face found is then window x shrink
    /// pixels instead of the minimum size (59 px instead of 40 on a 12-megapixel photo).
    /// </summary>
    public const long MaxScanPixels = 2_500_000;

    // Workspaces above this size are dropped after use, so a large photo does not keep its memory in the cache.
    private const long MaxCachedPixels = 2_500_000;
    private readonly List<DetectionWorkspace> workspaces = [];
    private byte[] regionPixels = [];

    public FaceDetector(CascadeClassifier cascade)
    {
        Cascade = cascade;
    }

    public CascadeClassifier Cascade { get; }

    /// <summary>Tests: run the plain per-window path instead of the SIMD one (results must be identical).</summary>
    internal bool ScalarOnly { get; set; }

    /// <summary>
    /// How long the last <see cref="Detect"/> call spent building the pyramid and integral tables: with
    /// <see cref="LastScanTime"/>, the two stages a detection's time splits into (shown by <c>facemoji bench detect</c>).
    /// </summary>
    public TimeSpan LastPyramidTime { get; private set; }

    /// <summary>How long the last <see cref="Detect"/> call spent sliding the window over the pyramid.</summary>
    public TimeSpan LastScanTime { get; private set; }

    /// <summary>A detector with the default cascade (<see cref="CascadeClassifier.LoadDefault"/>).</summary>
    public static FaceDetector CreateDefault() => new(CascadeClassifier.LoadDefault());

    /// <summary>Face boxes in image coordinates.</summary>
    public IReadOnlyList<PixelRect> Detect(GrayImage image, DetectionOptions? options = null) =>
        DetectWithNeighbours(image, options).Select(f => f.Box).ToList();

    /// <summary>
    /// The boxes of <see cref="Detect"/>, each with its neighbour count (the raw hits grouped into it, see
    /// <see cref="RectangleGrouping.GroupWithNeighbours"/>).
    /// </summary>
    public IReadOnlyList<(PixelRect Box, int Neighbours)> DetectWithNeighbours(GrayImage image, DetectionOptions? options = null)
    {
        options ??= DetectionOptions.Default;
        options.Validate();
        long pixels = (long)image.Width * image.Height;
        double firstScale = Math.Max(1, Math.Max((double)options.MinWidth / Cascade.WindowWidth, (double)options.MinHeight / Cascade.WindowHeight));
        if (pixels / (firstScale * firstScale) > MaxScanPixels)
        {
            return DetectShrunk(image, options, Math.Sqrt((double)pixels / MaxScanPixels));
        }

        lock (gate)
        {
            List<PixelRect> candidates = DetectCandidates(image.Pixels, image.Width, image.Height, options);
            var result = Finish(candidates, image.Width, image.Height, options);
            ForgetLargeWorkspace(image.Width, image.Height);
            return result;
        }
    }

    private List<(PixelRect Box, int Neighbours)> DetectShrunk(GrayImage image, DetectionOptions options, double factor)
    {
        int width = Math.Max(1, (int)(image.Width / factor)), height = Math.Max(1, (int)(image.Height / factor));
        double sx = (double)image.Width / width, sy = (double)image.Height / height;
        GrayImage small = Resizer.Resize(image, width, height, ResizeMode.Area);
        // What the caller let go of before (a large file's bytes, a decoder's copy) goes back before the workspace comes.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var shrunk = options with
        {
            MinWidth = (int)Math.Ceiling(options.MinWidth / sx),
            MinHeight = (int)Math.Ceiling(options.MinHeight / sy),
            MaxWidth = (int)(options.MaxWidth / sx),
            MaxHeight = (int)(options.MaxHeight / sy),
        };
        IReadOnlyList<(PixelRect Box, int Neighbours)> found;
        lock (gate)
        {
            found = Finish(DetectCandidates(small.Pixels, small.Width, small.Height, shrunk), small.Width, small.Height, shrunk);
            workspaces.RemoveAll(w => w.ImageWidth == small.Width && w.ImageHeight == small.Height);
        }

        // The workspace and the shrunk copy (hundreds of MB) are garbage now; give them back before the caller
        // allocates its next large buffer (an annotated copy), so the peaks do not add up. A scan this size takes
        // seconds, so a full collection costs nothing that shows.
        small = null!;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return found
            .Select(f => (Box: new PixelRect((int)(f.Box.X * sx), (int)(f.Box.Y * sy), (int)Math.Round(f.Box.Width * sx), (int)Math.Round(f.Box.Height * sy)).ClipTo(image.Width, image.Height), f.Neighbours))
            .Where(f => f.Box.Width > 0 && f.Box.Height > 0)
            .ToList();
    }

    private void ForgetLargeWorkspace(int width, int height)
    {
        if ((long)width * height > MaxCachedPixels)
        {
            workspaces.RemoveAll(w => w.ImageWidth == width && w.ImageHeight == height);
        }
    }

    /// <summary>
    /// Detects only inside <paramref name="region"/> (clipped to the image), as OpenCV does on a cropped image;
    /// boxes come back in full-image coordinates. The video pipeline uses this to re-detect around tracked faces.
    /// </summary>
    public IReadOnlyList<PixelRect> DetectInRegion(GrayImage image, PixelRect region, DetectionOptions? options = null) =>
        DetectInRegionWithNeighbours(image, region, options).Select(f => f.Box).ToList();

    /// <summary>The boxes of <see cref="DetectInRegion"/>, each with its neighbour count.</summary>
    public IReadOnlyList<(PixelRect Box, int Neighbours)> DetectInRegionWithNeighbours(GrayImage image, PixelRect region, DetectionOptions? options = null)
    {
        options ??= DetectionOptions.Default;
        options.Validate();
        PixelRect r = region.ClipTo(image.Width, image.Height);
        if (r.Width < Cascade.WindowWidth || r.Height < Cascade.WindowHeight)
        {
            return [];
        }

        lock (gate)
        {
            int size = r.Width * r.Height;
            if (regionPixels.Length < size)
            {
                regionPixels = new byte[size];
            }

            for (int y = 0; y < r.Height; y++)
            {
                image.Pixels.AsSpan((r.Y + y) * image.Width + r.X, r.Width).CopyTo(regionPixels.AsSpan(y * r.Width));
            }

            List<PixelRect> candidates = DetectCandidates(regionPixels, r.Width, r.Height, options);
            var result = Finish(candidates, r.Width, r.Height, options);
            for (int i = 0; i < result.Count; i++)
            {
                result[i] = (result[i].Box with { X = result[i].Box.X + r.X, Y = result[i].Box.Y + r.Y }, result[i].Neighbours);
            }

            return result;
        }
    }

    /// <summary>The raw windows the cascade accepts (before grouping), in a deterministic order. Not locked.</summary>
    internal List<PixelRect> DetectCandidates(byte[] pixels, int width, int height, DetectionOptions options)
    {
        DetectionWorkspace w = Workspace(width, height, options);
        w.Candidates.Clear();
        if (w.Layers.Length == 0)
        {
            return w.Candidates;
        }

        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        ParallelRows.For(w.Layers.Length, 1, new PrepareLayersOperation(w, pixels, Cascade.HasTiltedFeatures));
        long prepared = System.Diagnostics.Stopwatch.GetTimestamp();
        LastPyramidTime = System.Diagnostics.Stopwatch.GetElapsedTime(start, prepared);
        foreach (List<PixelRect> hits in w.StripeHits)
        {
            hits.Clear();
        }

        ParallelRows.For(DetectionWorkspace.StripeCount, 1, new ScanOperation(w, !ScalarOnly));
        LastScanTime = System.Diagnostics.Stopwatch.GetElapsedTime(prepared);
        foreach (List<PixelRect> hits in w.StripeHits)
        {
            w.Candidates.AddRange(hits);
        }

        return w.Candidates;
    }

    private DetectionWorkspace Workspace(int width, int height, DetectionOptions options)
    {
        int index = -1;
        for (int i = 0; i < workspaces.Count && index < 0; i++)
        {
            DetectionWorkspace candidate = workspaces[i];
            if (candidate.ImageWidth == width && candidate.ImageHeight == height && Equals(candidate.Options, options))
            {
                index = i;
            }
        }

        DetectionWorkspace workspace;
        if (index >= 0)
        {
            workspace = workspaces[index];
            workspaces.RemoveAt(index);
        }
        else
        {
            workspace = new DetectionWorkspace(Cascade, width, height, options);
            if (workspaces.Count == WorkspaceCacheSize)
            {
                workspaces.RemoveAt(workspaces.Count - 1);
            }
        }

        workspaces.Insert(0, workspace);
        return workspace;
    }

    private static List<(PixelRect Box, int Neighbours)> Finish(List<PixelRect> candidates, int width, int height, DetectionOptions options)
    {
        var grouped = RectangleGrouping.GroupWithNeighbours(candidates, options.MinNeighbors);

        // CascadeClassifier::detectMultiScale ends with clipObjects: intersect with the image, drop empty boxes.
        var result = new List<(PixelRect Box, int Neighbours)>(grouped.Count);
        foreach (var (r, neighbours) in grouped)
        {
            PixelRect clipped = r.ClipTo(width, height);
            if (clipped.Width > 0 && clipped.Height > 0)
            {
                result.Add((clipped, neighbours));
            }
        }

        return result;
    }
}
