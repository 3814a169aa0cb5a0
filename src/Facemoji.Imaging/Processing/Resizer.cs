
namespace Facemoji.Imaging.Processing;

/// <summary>
/// Resizes gray and RGBA images as OpenCV's cv2.resize does for 8-bit images, so that faces fed to the classifier
/// look like the ones it was trained on: INTER_LINEAR with OpenCV's 11-bit fixed-point weights (and the rounding of
/// its SIMD vertical pass), INTER_AREA with OpenCV's area tables (and its fast path for integer factors).
/// RGBA channels are resized independently (straight alpha), as cv2 does; blend with <c>Drawing.Painter.DrawImage</c>
/// when transparency matters. Rows run in parallel through <see cref="ParallelRows"/>.
/// </summary>
public static class Resizer
{
    private const int WeightBits = 11;
    private const int WeightScale = 1 << WeightBits;

    public static GrayImage Resize(GrayImage image, int width, int height, ResizeMode mode = ResizeMode.Bilinear)
    {
        CheckSize(width, height);
        var result = new GrayImage(width, height);
        Resize(image.Pixels, image.Width, image.Height, result.Pixels, width, height, 1, mode);
        return result;
    }

    public static RgbaImage Resize(RgbaImage image, int width, int height, ResizeMode mode = ResizeMode.Bilinear)
    {
        CheckSize(width, height);
        var result = new RgbaImage(width, height);
        Resize(image.Pixels, image.Width, image.Height, result.Pixels, width, height, 4, mode);
        return result;
    }

    private static void CheckSize(int width, int height)
    {
        if (width <= 0 || height <= 0 || (long)width * height > ImageLimits.MaxPixels)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Cannot resize to {width}x{height}.");
        }
    }

    // source (sh, sw*cn) -> destination (dh, dw*cn)
    private static void Resize(byte[] source, int sw, int sh, byte[] destination, int dw, int dh, int cn, ResizeMode mode)
    {
        if (sw == dw && sh == dh)
        {
            source.CopyTo(destination, 0);
            return;
        }

        int minimumRows = Math.Max(1, 32768 / Math.Max(1, dw * cn));
        if (mode == ResizeMode.Area && sw >= dw && sh >= dh)
        {
            if (sw % dw == 0 && sh % dh == 0)
            {
                ParallelRows.For(dh, minimumRows, new AreaIntegerRows(source, sw, destination, dw, cn, sw / dw, sh / dh));
                return;
            }

            var xTable = AreaTable(sw, dw, (double)sw / dw);
            var yTable = AreaTable(sh, dh, (double)sh / dh);
            ParallelRows.For(dh, minimumRows, new AreaRows(source, sw, destination, dw, cn, xTable, yTable));
            return;
        }

        bool areaStyle = mode == ResizeMode.Area; // enlarging with INTER_AREA: OpenCV's area-style linear weights
        var (xOffsets, xWeights) = LinearTable(sw, dw, areaStyle);
        var (yOffsets, yWeights) = LinearTable(sh, dh, areaStyle);
        ParallelRows.For(dh, minimumRows, new BilinearRows(source, sw, sh, destination, dw, cn, xOffsets, xWeights, yOffsets, yWeights));
    }

    /// <summary>
    /// For each destination index: the first source index and two 11-bit weights, as cv::resize computes them
    /// (float arithmetic and round-half-even included); indices outside the source replicate the edge.
    /// </summary>
    internal static (int[] Offsets, short[] Weights) LinearTable(int sourceSize, int destinationSize, bool areaStyle)
    {
        double inverseScale = (double)destinationSize / sourceSize;
        double scale = 1.0 / inverseScale;
        var offsets = new int[destinationSize];
        var weights = new short[destinationSize * 2];
        for (int d = 0; d < destinationSize; d++)
        {
            int s;
            float f;
            if (!areaStyle)
            {
                f = (float)((d + 0.5) * scale - 0.5);
                s = (int)MathF.Floor(f);
                f -= s;
            }
            else
            {
                s = (int)Math.Floor(d * scale);
                f = (float)((d + 1) - (s + 1) * inverseScale);
                f = f <= 0 ? 0f : f - MathF.Floor(f);
            }

            if (s < 0)
            {
                f = 0;
                s = 0;
            }

            if (s >= sourceSize - 1)
            {
                f = 0;
                s = sourceSize - 1;
            }

            offsets[d] = s;
            weights[d * 2] = (short)MathF.Round((1f - f) * WeightScale);
            weights[d * 2 + 1] = (short)MathF.Round(f * WeightScale);
        }

        return (offsets, weights);
    }

    /// <summary>One term of an area average: destination index, source index, weight (OpenCV's DecimateAlpha).</summary>
    internal readonly record struct AreaTerm(int Destination, int Source, float Weight);

    /// <summary>OpenCV's computeResizeAreaTab: the source cells each destination cell covers, weights normalised to 1.</summary>
    internal static AreaTerm[] AreaTable(int sourceSize, int destinationSize, double scale)
    {
        var terms = new List<AreaTerm>(sourceSize * 2);
        for (int d = 0; d < destinationSize; d++)
        {
            double start = d * scale;
            double end = start + scale;
            double cellWidth = Math.Min(scale, sourceSize - start);
            int first = (int)Math.Ceiling(start), last = (int)Math.Floor(end);
            last = Math.Min(last, sourceSize - 1);
            first = Math.Min(first, last);
            if (first - start > 1e-3)
            {
                terms.Add(new AreaTerm(d, first - 1, (float)((first - start) / cellWidth)));
            }

            for (int s = first; s < last; s++)
            {
                terms.Add(new AreaTerm(d, s, (float)(1.0 / cellWidth)));
            }

            if (end - last > 1e-3)
            {
                terms.Add(new AreaTerm(d, last, (float)(Math.Min(Math.Min(end - last, 1.0), cellWidth) / cellWidth)));
            }
        }

        return [.. terms];
    }

    // source (sh, sw*cn) -> destination (dh, dw*cn); weights (dw*2) / (dh*2) in 1/2048
    private readonly struct BilinearRows(
        byte[] source, int sw, int sh, byte[] destination, int dw, int cn,
        int[] xOffsets, short[] xWeights, int[] yOffsets, short[] yWeights) : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            int rowLength = dw * cn;
            int[] upper = new int[rowLength], lower = new int[rowLength];
            int upperRow = -1, lowerRow = -1;
            for (int dy = start; dy < end; dy++)
            {
                int sy0 = yOffsets[dy], sy1 = Math.Min(sy0 + 1, sh - 1);
                if (upperRow != sy0)
                {
                    if (lowerRow == sy0)
                    {
                        (upper, lower) = (lower, upper);
                        (upperRow, lowerRow) = (lowerRow, upperRow);
                    }
                    else
                    {
                        Horizontal(sy0, upper);
                        upperRow = sy0;
                    }
                }

                if (lowerRow != sy1)
                {
                    Horizontal(sy1, lower);
                    lowerRow = sy1;
                }

                // OpenCV's SIMD vertical pass (VResizeLinearVec_32s8u): operands cut to 16 bits, high halves of the
                // products kept, then rounded by 2 bits. Equal to cv2 on all but a few edge pixels, within 1 there.
                int b0 = yWeights[dy * 2], b1 = yWeights[dy * 2 + 1];
                Span<byte> output = destination.AsSpan(dy * rowLength, rowLength);
                for (int i = 0; i < output.Length; i++)
                {
                    int value = ((((upper[i] >> 4) * b0) >> 16) + (((lower[i] >> 4) * b1) >> 16) + 2) >> 2;
                    output[i] = (byte)Math.Clamp(value, 0, 255);
                }
            }
        }

        // One source row resampled horizontally, in 1/2048 units: row (dw*cn)
        private void Horizontal(int sy, int[] row)
        {
            ReadOnlySpan<byte> s = source.AsSpan(sy * sw * cn, sw * cn);
            for (int dx = 0; dx < dw; dx++)
            {
                int x0 = xOffsets[dx] * cn;
                int x1 = Math.Min(xOffsets[dx] + 1, sw - 1) * cn;
                int a0 = xWeights[dx * 2], a1 = xWeights[dx * 2 + 1];
                for (int c = 0; c < cn; c++)
                {
                    row[dx * cn + c] = s[x0 + c] * a0 + s[x1 + c] * a1;
                }
            }
        }
    }

    // Integer shrink factors (OpenCV's resizeAreaFast): source (sh, sw*cn) -> destination (dh, dw*cn)
    private readonly struct AreaIntegerRows(byte[] source, int sw, byte[] destination, int dw, int cn, int factorX, int factorY) : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            int area = factorX * factorY;
            float scale = 1f / area;
            bool halving = factorX == 2 && factorY == 2;
            for (int dy = start; dy < end; dy++)
            {
                Span<byte> output = destination.AsSpan(dy * dw * cn, dw * cn);
                for (int dx = 0; dx < dw; dx++)
                {
                    for (int c = 0; c < cn; c++)
                    {
                        int sum = 0;
                        for (int ky = 0; ky < factorY; ky++)
                        {
                            int rowStart = ((dy * factorY + ky) * sw + dx * factorX) * cn + c;
                            for (int kx = 0; kx < factorX; kx++)
                            {
                                sum += source[rowStart + kx * cn];
                            }
                        }

                        // OpenCV rounds 2x2 halves up (its SIMD path) and other factors half-to-even (cvRound).
                        output[dx * cn + c] = halving ? (byte)((sum + 2) >> 2) : (byte)Math.Clamp(MathF.Round(sum * scale), 0, 255);
                    }
                }
            }
        }
    }

    // General shrink (OpenCV's ResizeArea_Invoker): source (sh, sw*cn) -> destination (dh, dw*cn)
    private readonly struct AreaRows(byte[] source, int sw, byte[] destination, int dw, int cn, AreaTerm[] xTable, AreaTerm[] yTable) : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            int rowLength = dw * cn;
            var buffer = new float[rowLength];
            var sum = new float[rowLength];
            int j = FirstTerm(start);
            for (int dy = start; dy < end; dy++)
            {
                Array.Clear(sum);
                for (; j < yTable.Length && yTable[j].Destination == dy; j++)
                {
                    Array.Clear(buffer);
                    ReadOnlySpan<byte> s = source.AsSpan(yTable[j].Source * sw * cn, sw * cn);
                    foreach (AreaTerm term in xTable)
                    {
                        int d = term.Destination * cn, si = term.Source * cn;
                        for (int c = 0; c < cn; c++)
                        {
                            buffer[d + c] += s[si + c] * term.Weight;
                        }
                    }

                    float beta = yTable[j].Weight;
                    for (int i = 0; i < rowLength; i++)
                    {
                        sum[i] += beta * buffer[i];
                    }
                }

                Span<byte> output = destination.AsSpan(dy * rowLength, rowLength);
                for (int i = 0; i < rowLength; i++)
                {
                    output[i] = (byte)Math.Clamp(MathF.Round(sum[i]), 0, 255);
                }
            }
        }

        private int FirstTerm(int dy)
        {
            int lo = 0, hi = yTable.Length;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (yTable[mid].Destination < dy)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo;
        }
    }
}
