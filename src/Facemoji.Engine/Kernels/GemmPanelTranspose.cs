using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// Packs a panel whose rows are contiguous in memory but must be interleaved: <c>dst[p*width + r] = src[r*ld + p]</c>.
/// That is A when not transposed (MR rows of A) and B when transposed (NR rows of the stored (n,k) matrix). A
/// scalar gather costs about as much as the micro-kernel spends on the data when M or N is small (the
/// convolution weight gradient), so with AVX the panel moves in 8x8 blocks transposed in registers.
/// </summary>
internal static unsafe class GemmPanelTranspose
{
    // dst (kc, width) <- transpose of src (rows, kc) with row stride ld; rows <= width, lanes [rows, width) zeroed
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack(float* src, nint ld, int rows, int width, int kc, float* dst)
    {
        int p = 0;
        if (Avx.IsSupported && width % 8 == 0)
        {
            for (; p + 8 <= kc; p += 8)
            {
                for (int r = 0; r < width; r += 8)
                {
                    float* block = dst + (nint)p * width + r;
                    if (r + 8 <= rows)
                    {
                        Transpose8x8(src + r * ld + p, ld, block, width);
                    }
                    else
                    {
                        // A partial panel (e.g. B of a 9-column weight gradient): missing rows read as zeros.
                        TransposePartial(src + r * ld + p, ld, Math.Max(0, rows - r), block, width, 8);
                    }
                }
            }
        }
        else if (Avx.IsSupported && width >= 4 && width < 8)
        {
            // A panels of the AVX2 6x16 kernel: the scalar gather below cost several percent of a square product,
            // twice that per thread when two threads each pack the whole of A.
            for (; p + 8 <= kc; p += 8)
            {
                TransposePartial(src + p, ld, rows, dst + (nint)p * width, width, width);
            }
        }

        for (int r = 0; r < rows; r++)
        {
            float* row = src + r * ld;
            for (int q = p; q < kc; q++)
            {
                dst[(nint)q * width + r] = row[q];
            }
        }

        if (rows < width)
        {
            for (int q = p; q < kc; q++)
            {
                new Span<float>(dst + (nint)q * width + rows, width - rows).Clear();
            }
        }
    }

    // dst (8,lastRowWidth) row stride dstStride = transpose of src (rows,8) row stride ld, lanes from rows on zero;
    // 0 <= rows <= 8, 4 <= lastRowWidth <= 8, lastRowWidth <= dstStride. The first seven rows are stored as whole
    // vectors: in a narrow panel (dstStride = lastRowWidth < 8) the next row's store overwrites their lanes past
    // the panel width, and the last row stores exactly lastRowWidth floats, so nothing past the block is touched.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposePartial(float* src, nint ld, int rows, float* dst, nint dstStride, int lastRowWidth)
    {
        Vector256<float> r0 = rows > 0 ? Avx.LoadVector256(src) : Vector256<float>.Zero;
        Vector256<float> r1 = rows > 1 ? Avx.LoadVector256(src + ld) : Vector256<float>.Zero;
        Vector256<float> r2 = rows > 2 ? Avx.LoadVector256(src + 2 * ld) : Vector256<float>.Zero;
        Vector256<float> r3 = rows > 3 ? Avx.LoadVector256(src + 3 * ld) : Vector256<float>.Zero;
        Vector256<float> r4 = rows > 4 ? Avx.LoadVector256(src + 4 * ld) : Vector256<float>.Zero;
        Vector256<float> r5 = rows > 5 ? Avx.LoadVector256(src + 5 * ld) : Vector256<float>.Zero;
        Vector256<float> r6 = rows > 6 ? Avx.LoadVector256(src + 6 * ld) : Vector256<float>.Zero;
        Vector256<float> r7 = rows > 7 ? Avx.LoadVector256(src + 7 * ld) : Vector256<float>.Zero;

        Vector256<float> last = TransposeAndStoreSeven(r0, r1, r2, r3, r4, r5, r6, r7, dst, dstStride);
        float* lastRow = dst + 7 * dstStride;
        if (lastRowWidth == 8)
        {
            Avx.Store(lastRow, last);
        }
        else if (lastRowWidth == 6)
        {
            Sse.Store(lastRow, last.GetLower());
            Sse.StoreLow(lastRow + 4, last.GetUpper());
        }
        else
        {
            for (int i = 0; i < lastRowWidth; i++)
            {
                lastRow[i] = last.GetElement(i);
            }
        }
    }

    // dst (8,8) row stride dstStride = transpose of src (8,8) row stride srcStride (needs Avx.IsSupported; also
    // ChannelLastWinogradKernel's copy of an image channel-last)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8x8(float* src, nint srcStride, float* dst, nint dstStride)
    {
        Vector256<float> r0 = Avx.LoadVector256(src);
        Vector256<float> r1 = Avx.LoadVector256(src + srcStride);
        Vector256<float> r2 = Avx.LoadVector256(src + 2 * srcStride);
        Vector256<float> r3 = Avx.LoadVector256(src + 3 * srcStride);
        Vector256<float> r4 = Avx.LoadVector256(src + 4 * srcStride);
        Vector256<float> r5 = Avx.LoadVector256(src + 5 * srcStride);
        Vector256<float> r6 = Avx.LoadVector256(src + 6 * srcStride);
        Vector256<float> r7 = Avx.LoadVector256(src + 7 * srcStride);

        Avx.Store(dst + 7 * dstStride, TransposeAndStoreSeven(r0, r1, r2, r3, r4, r5, r6, r7, dst, dstStride));
    }

    // The transpose of the 8x8 block whose rows are r0..r7: stores its first seven rows at dst, dst + dstStride, ...
    // and returns the eighth (the callers store it whole or in part). Interleaves pairs of rows, then pairs of pairs,
    // then swaps 128-bit halves.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> TransposeAndStoreSeven(
        Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7, float* dst, nint dstStride)
    {
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);

        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(u2, u6, 0x31));
        return Avx.Permute2x128(u3, u7, 0x31);
    }
}
