using Facemoji.Engine;
using Facemoji.Imaging;
using Facemoji.Vision.Cascades;

namespace Facemoji.Vision.Detection;

/// <summary>
/// Everything one image size needs, built once and reused frame after frame: the scale list (computed exactly
/// as OpenCV 4.6's detectMultiScaleNoGrouping does, in the same float/double precision), the resize plans, the
/// shrunk images, one pinned integral buffer holding every layer's sum, tilted and square tables with a common
/// row stride (so that one compiled cascade serves all layers), and per-stripe hit lists.
/// </summary>
internal sealed class DetectionWorkspace
{
    public const int StripeCount = 64;

    private const int VectorSlack = 64;

    // 1 Gi entries (4 GiB): beyond this an image is refused rather than risk an out-of-memory crash.
    private const long MaxBufferEntries = 1L << 30;

    public DetectionWorkspace(CascadeClassifier cascade, int imageWidth, int imageHeight, DetectionOptions options)
    {
        ImageWidth = imageWidth;
        ImageHeight = imageHeight;
        Options = options;
        float[] scales = ChooseScales(cascade.WindowWidth, cascade.WindowHeight, imageWidth, imageHeight, options);

        int stride = 0, rows = 0;
        var sizes = new (int Width, int Height)[scales.Length];
        for (int i = 0; i < scales.Length; i++)
        {
            float scale = scales[i];
            sizes[i] = ((int)MathF.Round(imageWidth / scale), (int)MathF.Round(imageHeight / scale));
            stride = Math.Max(stride, sizes[i].Width + 1);
            rows += sizes[i].Height + 1;
        }

        // Pad the stride so that rows start on 64-byte boundaries.
        stride = (stride + 15) & ~15;
        // Each table gets VectorSlack spare entries: the SIMD scan reads up to 7 windows past a row's last one.
        long tableEntries = ((long)stride * Math.Max(rows, 1)) + VectorSlack;
        if (tableEntries * (cascade.HasTiltedFeatures ? 3 : 2) > MaxBufferEntries)
        {
            throw new FacemojiException(
                $"Image {imageWidth}x{imageHeight} is too large for face detection at scale factor {options.ScaleFactor} " +
                $"(its integral tables would need {tableEntries * 8 / (1 << 20)} MiB); shrink it or raise the minimum face size.");
        }

        int tableSize = (int)tableEntries;
        int tiltedOffset = cascade.HasTiltedFeatures ? tableSize : 0;
        int squaresOffset = cascade.HasTiltedFeatures ? 2 * tableSize : tableSize;
        Buffer = GC.AllocateArray<int>(checked(squaresOffset + tableSize), pinned: true);
        Stride = stride;
        TiltedOffset = tiltedOffset;
        SquaresOffset = squaresOffset;

        Layers = new ScaleLayer[scales.Length];
        int rowStart = 0;
        for (int i = 0; i < scales.Length; i++)
        {
            float scale = scales[i];
            (int w, int h) = sizes[i];
            int step = scale >= 2 ? 1 : 2;
            int workHeight = Math.Max(h + 1 - cascade.WindowHeight, 0);
            Layers[i] = new ScaleLayer
            {
                Scale = scale,
                Width = w,
                Height = h,
                Step = step,
                Origin = rowStart * stride,
                WorkWidth = Math.Max(w + 1 - cascade.WindowWidth, 0),
                WorkHeight = workHeight,
                DetectionWidth = (int)MathF.Round(cascade.WindowWidth * scale),
                DetectionHeight = (int)MathF.Round(cascade.WindowHeight * scale),
                Resize = new LinearExactResize(imageWidth, imageHeight, w, h),
                Pixels = new byte[w * h],
                StripeRows = Math.Max((workHeight / step + StripeCount - 1) / StripeCount, 1) * step,
            };
            rowStart += h + 1;
        }

        Program = new CascadeProgram(cascade, stride, tiltedOffset, squaresOffset);
        StripeHits = new List<PixelRect>[StripeCount];
        for (int i = 0; i < StripeCount; i++)
        {
            StripeHits[i] = new List<PixelRect>();
        }
    }

    public int ImageWidth { get; }

    public int ImageHeight { get; }

    public DetectionOptions Options { get; }

    public ScaleLayer[] Layers { get; }

    public int[] Buffer { get; }

    public int Stride { get; }

    public int TiltedOffset { get; }

    public int SquaresOffset { get; }

    public CascadeProgram Program { get; }

    public List<PixelRect>[] StripeHits { get; }

    public List<PixelRect> Candidates { get; } = new();

    /// <summary>
    /// OpenCV 4.6's scale list: factors 1, f, f^2... (double) while the rounded window fits the image, stored as
    /// float; keep those whose rounded window lies within [min, max]; when that leaves none (min == max between
    /// two factors) the factor whose window is nearest (L2) to the minimum size.
    /// </summary>
    internal static float[] ChooseScales(int windowWidth, int windowHeight, int imageWidth, int imageHeight, DetectionOptions options)
    {
        int maxWidth = options.MaxWidth, maxHeight = options.MaxHeight;
        if (maxWidth == 0 || maxHeight == 0)
        {
            (maxWidth, maxHeight) = (imageWidth, imageHeight);
        }

        if (imageHeight < windowHeight || imageWidth < windowWidth)
        {
            return [];
        }

        var all = new List<float>();
        for (double factor = 1; ; factor *= options.ScaleFactor)
        {
            int w = (int)Math.Round(windowWidth * factor), h = (int)Math.Round(windowHeight * factor);
            if (w > imageWidth || h > imageHeight)
            {
                break;
            }

            all.Add((float)factor);
        }

        var chosen = new List<float>();
        foreach (float scale in all)
        {
            int w = (int)MathF.Round(windowWidth * scale), h = (int)MathF.Round(windowHeight * scale);
            if (w > maxWidth || h > maxHeight)
            {
                break;
            }

            if (w < options.MinWidth || h < options.MinHeight)
            {
                continue;
            }

            chosen.Add(scale);
        }

        if (chosen.Count == 0 && all.Count > 0)
        {
            int best = 0;
            double bestDistance = double.MaxValue;
            for (int i = 0; i < all.Count; i++)
            {
                int w = (int)MathF.Round(windowWidth * all[i]), h = (int)MathF.Round(windowHeight * all[i]);
                double d = (double)(options.MinWidth - w) * (options.MinWidth - w) + (double)(options.MinHeight - h) * (options.MinHeight - h);
                if (bestDistance > d)
                {
                    bestDistance = d;
                    best = i;
                }
            }

            chosen.Add(all[best]);
        }

        return [.. chosen];
    }
}
