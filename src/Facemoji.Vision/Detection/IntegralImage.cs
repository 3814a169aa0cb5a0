namespace Facemoji.Vision.Detection;

/// <summary>
/// OpenCV's <c>cv::integral</c> for 8-bit images into 32-bit tables of (height+1) rows of (width+1) values laid
/// out with a caller-chosen stride: the sum, the sum of squares (kept modulo 2^32 as OpenCV's CV_32S sqsum is;
/// window differences are exact because a window's true square sum fits in 32 bits) and the 45° tilted sum.
/// The plain reference versions next to the fast ones define the meaning and are what the tests compare with.
/// </summary>
internal static class IntegralImage
{
    /// <summary>Sum and squared-sum tables of a width x height image. // image (H,W) -> sum, sqsum (H+1, stride)</summary>
    public static void Compute(ReadOnlySpan<byte> image, int width, int height, Span<int> sum, Span<int> squares, int stride)
    {
        sum.Slice(0, width + 1).Clear();
        squares.Slice(0, width + 1).Clear();
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = image.Slice(y * width, width);
            ComputeRow(row, sum.Slice(y * stride, 2 * stride), squares.Slice(y * stride, 2 * stride), stride);
        }
    }

    /// <summary>One table row: row y+1 from image row y and table row y (the spans start at table row y).</summary>
    internal static unsafe void ComputeRow(ReadOnlySpan<byte> imageRow, Span<int> sumRows, Span<int> squareRows, int stride)
    {
        int width = imageRow.Length;
        if (stride < width + 1 || sumRows.Length < stride + width + 1 || squareRows.Length < stride + width + 1)
        {
            throw new ArgumentException($"ComputeRow: tables too small for a row of {width} with stride {stride}.");
        }

        fixed (byte* pixels = imageRow)
        fixed (int* sums = sumRows, squares = squareRows)
        {
            int* previousSum = sums, currentSum = sums + stride;
            int* previousSquares = squares, currentSquares = squares + stride;
            currentSum[0] = 0;
            currentSquares[0] = 0;
            int rowSum = 0;
            int rowSquares = 0;
            for (int x = 0; x < width; x++)
            {
                int v = pixels[x];
                rowSum += v;
                rowSquares = unchecked(rowSquares + (v * v));
                currentSum[x + 1] = previousSum[x + 1] + rowSum;
                currentSquares[x + 1] = unchecked(previousSquares[x + 1] + rowSquares);
            }
        }
    }

    /// <summary>
    /// The tilted table as OpenCV defines it: tilted(X, Y) = sum of image(x, y) over y &lt; Y and |x - X + 1| &lt;= Y - y - 1,
    /// a triangle whose apex is pixel (X-1, Y-1). Computed with the recurrence
    /// T(X,Y) = T(X-1,Y-1) + T(X+1,Y-1) - T(X,Y-2) + I(X-1,Y-1) + I(X-1,Y-2) over rows padded by the image height on
    /// both sides, because the triangles reach outside the image. // image (H,W) -> tilted (H+1, stride)
    /// </summary>
    public static void ComputeTilted(ReadOnlySpan<byte> image, int width, int height, Span<int> tilted, int stride)
    {
        int pad = height + 1;
        int paddedWidth = width + 1 + 2 * pad;
        var rows = new int[3][];
        for (int i = 0; i < 3; i++)
        {
            rows[i] = new int[paddedWidth];
        }

        tilted.Slice(0, width + 1).Clear();
        for (int y = 1; y <= height; y++)
        {
            int[] current = rows[y % 3];
            int[] previous = rows[(y + 2) % 3];
            int[] beforePrevious = rows[(y + 1) % 3];
            if (y == 1)
            {
                Array.Clear(previous);
                Array.Clear(beforePrevious);
            }

            ReadOnlySpan<byte> imageRow = image.Slice((y - 1) * width, width);
            ReadOnlySpan<byte> rowAbove = y >= 2 ? image.Slice((y - 2) * width, width) : default;
            for (int px = 0; px < paddedWidth; px++)
            {
                int x = px - pad;
                int t = (px > 0 ? previous[px - 1] : 0) + (px + 1 < paddedWidth ? previous[px + 1] : 0) - beforePrevious[px];
                int source = x - 1;
                if ((uint)source < (uint)width)
                {
                    t += imageRow[source];
                    if (y >= 2)
                    {
                        t += rowAbove[source];
                    }
                }

                current[px] = t;
            }

            current.AsSpan(pad, width + 1).CopyTo(tilted.Slice(y * stride, width + 1));
        }
    }

    /// <summary>Reference: each entry summed from its definition. O(W H) per entry; tests only.</summary>
    public static void ComputeReference(ReadOnlySpan<byte> image, int width, int height, Span<int> sum, Span<int> squares, Span<int> tilted, int stride)
    {
        for (int yy = 0; yy <= height; yy++)
        {
            for (int xx = 0; xx <= width; xx++)
            {
                long s = 0, q = 0, t = 0;
                for (int y = 0; y < yy; y++)
                {
                    for (int x = 0; x < width; x++)
                    {
                        int v = image[y * width + x];
                        if (x < xx)
                        {
                            s += v;
                            q += v * v;
                        }

                        if (Math.Abs(x - xx + 1) <= yy - y - 1)
                        {
                            t += v;
                        }
                    }
                }

                sum[yy * stride + xx] = (int)s;
                squares[yy * stride + xx] = unchecked((int)q);
                tilted[yy * stride + xx] = (int)t;
            }
        }
    }
}
