namespace Facemoji.Vision.Detection;

/// <summary>
/// OpenCV's bit-exact bilinear resize (<c>INTER_LINEAR_EXACT</c>, <c>resize_bitExact</c> in imgproc/resize.cpp),
/// which <c>CascadeClassifier</c> uses to build its image pyramid. Source position of destination pixel d is
/// (d + 0.5) * (src/dst) - 0.5 in double precision; the fraction is rounded (half to even) to 8 bits; the
/// horizontal pass keeps 8 fractional bits and the vertical pass rounds the 16-bit product:
/// out = (h0 * cy0 + h1 * cy1 + 2^15) &gt;&gt; 16 with h = cx0 * p0 + cx1 * p1. Positions left of the first pixel or
/// right of the last clamp to it. The plan for one (source size, destination size) pair is built once and reused.
/// </summary>
internal sealed class LinearExactResize
{
    private readonly int[] x0, x1, y0, y1;
    private readonly ushort[] cx0, cx1, cy0, cy1;

    public LinearExactResize(int sourceWidth, int sourceHeight, int width, int height)
    {
        SourceWidth = sourceWidth;
        SourceHeight = sourceHeight;
        Width = width;
        Height = height;
        (x0, x1, cx0, cx1) = Axis(sourceWidth, width);
        (y0, y1, cy0, cy1) = Axis(sourceHeight, height);
    }

    public int SourceWidth { get; }

    public int SourceHeight { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Writes destination row <paramref name="dy"/>. // source (SH,SW) -> row (W)</summary>
    public unsafe void ResizeRow(ReadOnlySpan<byte> source, int dy, Span<byte> row)
    {
        if (source.Length < SourceWidth * SourceHeight || row.Length < Width || (uint)dy >= (uint)Height)
        {
            throw new ArgumentException($"ResizeRow: source must hold {SourceWidth}x{SourceHeight} bytes, row {Width}, dy < {Height}.");
        }

        fixed (byte* sourcePointer = source)
        fixed (byte* output = row)
        fixed (int* first = x0, second = x1)
        fixed (ushort* firstWeight = cx0, secondWeight = cx1)
        {
            byte* top = sourcePointer + (y0[dy] * SourceWidth);
            byte* bottom = sourcePointer + (y1[dy] * SourceWidth);
            uint wy0 = cy0[dy], wy1 = cy1[dy];
            for (int dx = 0; dx < Width; dx++)
            {
                int a = first[dx], b = second[dx];
                uint wx0 = firstWeight[dx], wx1 = secondWeight[dx];
                uint h0 = (wx0 * top[a]) + (wx1 * top[b]);
                uint h1 = (wx0 * bottom[a]) + (wx1 * bottom[b]);
                output[dx] = (byte)(((h0 * wy0) + (h1 * wy1) + (1u << 15)) >> 16);
            }
        }
    }

    private static (int[] First, int[] Second, ushort[] FirstWeight, ushort[] SecondWeight) Axis(int sourceSize, int size)
    {
        var first = new int[size];
        var second = new int[size];
        var firstWeight = new ushort[size];
        var secondWeight = new ushort[size];
        double inverseScale = (double)size / sourceSize;
        double scale = 1.0 / inverseScale;
        for (int d = 0; d < size; d++)
        {
            double position = scale * (d + 0.5) - 0.5;
            int index = (int)Math.Floor(position);
            if (index >= 0 && sourceSize > 1 && index < sourceSize - 1)
            {
                // ufixedpoint16(softdouble): cvRound(fraction * 256), half to even.
                int w1 = (int)Math.Round((position - index) * 256.0, MidpointRounding.ToEven);
                first[d] = index;
                second[d] = index + 1;
                secondWeight[d] = (ushort)w1;
                firstWeight[d] = (ushort)(256 - w1);
            }
            else
            {
                int clamped = index < 0 || sourceSize <= 1 ? 0 : sourceSize - 1;
                first[d] = clamped;
                second[d] = clamped;
                firstWeight[d] = 256;
                secondWeight[d] = 0;
            }
        }

        return (first, second, firstWeight, secondWeight);
    }
}
