using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Facemoji.Imaging.Formats.Png;

/// <summary>
/// The five PNG row filters (None, Sub, Up, Average, Paeth): undoing them when decoding, applying them when
/// encoding. <c>stride</c> is the bytes of one complete pixel (at least 1), the distance Sub/Average/Paeth look back.
/// </summary>
internal static class PngFilters
{
    public const int None = 0, Sub = 1, Up = 2, Average = 3, Paeth = 4;

    /// <summary>
    /// Reconstructs <paramref name="row"/> in place. row, prior (rowBytes); prior is all zero for the first row of a pass.
    /// Average and Paeth on 3- and 4-byte pixels (8-bit RGB and RGBA, most photos) take a Vector128 path that works a
    /// whole pixel at a time, as libpng's SSE2 filters do; everything else, and machines without SIMD, the reference.
    /// </summary>
    public static bool Unfilter(int filter, Span<byte> row, ReadOnlySpan<byte> prior, int stride)
    {
        if (Vector128.IsHardwareAccelerated && stride is 3 or 4 && row.Length >= 8)
        {
            if (filter == Paeth)
            {
                PaethPixels(row, prior, stride);
                return true;
            }

            if (filter == Average)
            {
                AveragePixels(row, prior, stride);
                return true;
            }
        }

        return UnfilterReference(filter, row, prior, stride);
    }

    // row, prior (rowBytes), stride 3 or 4: one pixel per step, lanes 0..3 (lane 3 unused when stride is 3).
    private static void PaethPixels(Span<byte> row, ReadOnlySpan<byte> prior, int stride)
    {
        ref byte r = ref MemoryMarshal.GetReference(row);
        ref byte p = ref MemoryMarshal.GetReference(prior);
        Vector128<short> keep = stride == 4 ? Vector128.Create((short)-1) : Vector128.Create(-1, -1, -1, 0, 0, 0, 0, 0);
        Vector128<short> a = Vector128<short>.Zero, c = Vector128<short>.Zero;
        int n = row.Length, i = 0;
        for (; i + 4 <= n; i += stride)
        {
            Vector128<short> b = LoadPixel(ref Unsafe.Add(ref p, i));
            Vector128<short> x = LoadPixel(ref Unsafe.Add(ref r, i));
            Vector128<short> pa = Vector128.Abs(b - c), pb = Vector128.Abs(a - c), pc = Vector128.Abs(a + b - c - c);
            Vector128<short> useA = Vector128.LessThanOrEqual(pa, pb) & Vector128.LessThanOrEqual(pa, pc);
            Vector128<short> predicted = Vector128.ConditionalSelect(useA, a, Vector128.ConditionalSelect(Vector128.LessThanOrEqual(pb, pc), b, c));
            Vector128<short> result = (x + (predicted & keep)) & Vector128.Create((short)0xFF);
            StorePixel(ref Unsafe.Add(ref r, i), result);
            a = result;
            c = b;
        }

        for (; i < n; i++)
        {
            row[i] += PaethPredictor(row[i - stride], prior[i], prior[i - stride]);
        }
    }

    // row, prior (rowBytes), stride 3 or 4
    private static void AveragePixels(Span<byte> row, ReadOnlySpan<byte> prior, int stride)
    {
        ref byte r = ref MemoryMarshal.GetReference(row);
        ref byte p = ref MemoryMarshal.GetReference(prior);
        Vector128<short> keep = stride == 4 ? Vector128.Create((short)-1) : Vector128.Create(-1, -1, -1, 0, 0, 0, 0, 0);
        Vector128<short> a = Vector128<short>.Zero;
        int n = row.Length, i = 0;
        for (; i + 4 <= n; i += stride)
        {
            Vector128<short> b = LoadPixel(ref Unsafe.Add(ref p, i));
            Vector128<short> x = LoadPixel(ref Unsafe.Add(ref r, i));
            Vector128<short> result = (x + (Vector128.ShiftRightLogical(a + b, 1) & keep)) & Vector128.Create((short)0xFF);
            StorePixel(ref Unsafe.Add(ref r, i), result);
            a = result;
        }

        for (; i < n; i++)
        {
            row[i] += (byte)((row[i - stride] + prior[i]) >> 1);
        }
    }

    private static Vector128<short> LoadPixel(ref byte source) =>
        Vector128.WidenLower(Vector128.CreateScalar(Unsafe.ReadUnaligned<uint>(ref source)).AsByte()).AsInt16();

    private static void StorePixel(ref byte destination, Vector128<short> pixel) =>
        Unsafe.WriteUnaligned(ref destination, Vector128.Narrow(pixel.AsUInt16(), Vector128<ushort>.Zero).AsUInt32().ToScalar());

    /// <summary>The plain byte-at-a-time filters of the PNG specification; the vector paths are tested against it.</summary>
    internal static bool UnfilterReference(int filter, Span<byte> row, ReadOnlySpan<byte> prior, int stride)
    {
        int n = row.Length;
        switch (filter)
        {
            case None:
                return true;
            case Sub:
                for (int i = stride; i < n; i++)
                {
                    row[i] += row[i - stride];
                }

                return true;
            case Up:
                for (int i = 0; i < n; i++)
                {
                    row[i] += prior[i];
                }

                return true;
            case Average:
                for (int i = 0; i < stride && i < n; i++)
                {
                    row[i] += (byte)(prior[i] >> 1);
                }

                for (int i = stride; i < n; i++)
                {
                    row[i] += (byte)((row[i - stride] + prior[i]) >> 1);
                }

                return true;
            case Paeth:
                for (int i = 0; i < stride && i < n; i++)
                {
                    row[i] += prior[i];
                }

                for (int i = stride; i < n; i++)
                {
                    row[i] += PaethPredictor(row[i - stride], prior[i], prior[i - stride]);
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>Writes row filtered with <paramref name="filter"/> into output (rowBytes). Returns the sum of |signed bytes|, the adaptive choice's cost.</summary>
    public static int Apply(int filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int stride, Span<byte> output)
    {
        int n = row.Length;
        int head = Math.Min(stride, n);
        int cost = 0;
        switch (filter)
        {
            case Sub:
                for (int i = 0; i < head; i++)
                {
                    cost += Cost(output[i] = row[i]);
                }

                for (int i = stride; i < n; i++)
                {
                    cost += Cost(output[i] = (byte)(row[i] - row[i - stride]));
                }

                return cost;
            case Up:
                for (int i = 0; i < n; i++)
                {
                    cost += Cost(output[i] = (byte)(row[i] - prior[i]));
                }

                return cost;
            case Average:
                for (int i = 0; i < head; i++)
                {
                    cost += Cost(output[i] = (byte)(row[i] - (prior[i] >> 1)));
                }

                for (int i = stride; i < n; i++)
                {
                    cost += Cost(output[i] = (byte)(row[i] - ((row[i - stride] + prior[i]) >> 1)));
                }

                return cost;
            case Paeth:
                for (int i = 0; i < head; i++)
                {
                    cost += Cost(output[i] = (byte)(row[i] - prior[i]));
                }

                for (int i = stride; i < n; i++)
                {
                    cost += Cost(output[i] = (byte)(row[i] - PaethPredictor(row[i - stride], prior[i], prior[i - stride])));
                }

                return cost;
            default:
                for (int i = 0; i < n; i++)
                {
                    cost += Cost(output[i] = row[i]);
                }

                return cost;
        }
    }

    private static int Cost(byte filtered) => Math.Abs((int)(sbyte)filtered);

    /// <summary>The Paeth predictor of the PNG specification (a left, b above, c above-left); ties prefer a, then b.</summary>
    public static byte PaethPredictor(int a, int b, int c)
    {
        // pa = |p - a| = |b - c|, pb = |p - b| = |a - c|, pc = |p - c| = |a + b - 2c|.
        int pa = Math.Abs(b - c), pb = Math.Abs(a - c), pc = Math.Abs(a + b - c - c);
        if (pa <= pb && pa <= pc)
        {
            return (byte)a;
        }

        return (byte)(pb <= pc ? b : c);
    }
}
