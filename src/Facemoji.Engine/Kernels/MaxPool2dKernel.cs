using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Facemoji.Engine.Kernels;

/// <summary>Max pooling over planes in parallel, saving each output's argmax so backward is a scatter.</summary>
internal static class MaxPool2dKernel
{
    // x (N,C,H,W) -> y (N,C,OH,OW) written, argmax (N,C,OH,OW) = flat index within the input plane.
    public static void Forward(float[] x, float[] y, int[] argmax, in PoolGeometry g) =>
        ParallelRows.For(g.Planes, 16, new ForwardOperation(x, y, argmax, g));

    // dy (N,C,OH,OW), argmax from Forward -> dx (N,C,H,W) written
    public static void Backward(float[] dy, int[] argmax, float[] dx, in PoolGeometry g) =>
        ParallelRows.For(g.Planes, 16, new BackwardOperation(dy, argmax, dx, g));

    private readonly struct ForwardOperation(float[] x, float[] y, int[] argmax, PoolGeometry g) : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            int h = g.Height, w = g.Width, oh = g.OutHeight, ow = g.OutWidth, plane = h * w;
            bool plain2x2 = g.Kernel == 2 && g.Stride == 2 && g.Padding == 0;
            for (int p = start; p < end; p++)
            {
                ReadOnlySpan<float> src = x.AsSpan(p * plane, plane);
                Span<float> dst = y.AsSpan(p * oh * ow, oh * ow);
                Span<int> arg = argmax.AsSpan(p * oh * ow, oh * ow);
                if (plain2x2)
                {
                    Pool2x2(src, dst, arg, w, oh, ow);
                    continue;
                }

                for (int i = 0; i < oh; i++)
                {
                    int h0 = (i * g.Stride) - g.Padding;
                    int hs = Math.Max(h0, 0), he = Math.Min(h0 + g.Kernel, h);
                    for (int j = 0; j < ow; j++)
                    {
                        int w0 = (j * g.Stride) - g.Padding;
                        int ws = Math.Max(w0, 0), we = Math.Min(w0 + g.Kernel, w);
                        float v = float.NegativeInfinity;
                        int best = -1;
                        for (int ih = hs; ih < he; ih++)
                        {
                            for (int iw = ws; iw < we; iw++)
                            {
                                float candidate = src[(ih * w) + iw];
                                if (candidate > v || best < 0)
                                {
                                    v = candidate;
                                    best = (ih * w) + iw;
                                }
                            }
                        }

                        dst[(i * ow) + j] = v;
                        arg[(i * ow) + j] = best;
                    }
                }
            }
        }
    }

    // The common 2x2/2 case: four candidates per output, first maximum wins; no bounds checks in the loop
    // (oh = h/2 and ow = w/2 rows and columns of whole windows always lie inside the plane).
    private static void Pool2x2(ReadOnlySpan<float> src, Span<float> dst, Span<int> arg, int w, int oh, int ow)
    {
        ref float s0 = ref MemoryMarshal.GetReference(src);
        ref float d0 = ref MemoryMarshal.GetReference(dst);
        ref int a0 = ref MemoryMarshal.GetReference(arg);
        for (int i = 0; i < oh; i++)
        {
            int r0 = 2 * i * w;
            ref float top = ref Unsafe.Add(ref s0, r0);
            ref float bottom = ref Unsafe.Add(ref s0, r0 + w);
            ref float outRow = ref Unsafe.Add(ref d0, i * ow);
            ref int argRow = ref Unsafe.Add(ref a0, i * ow);
            int j = 0;
            if (Avx2.IsSupported)
            {
                j = Pool2x2Row8(ref top, ref bottom, ref outRow, ref argRow, r0, w, ow);
            }

            for (; j < ow; j++)
            {
                // Branch-free: after ReLU the four candidates are often equal (zeros) or random, and mispredicted
                // branches cost more than the compares. The index moves only on a strictly greater value, so the
                // first maximum in scan order wins, as in PyTorch.
                int c = 2 * j;
                float v = Unsafe.Add(ref top, c);
                int best = r0 + c;
                float t1 = Unsafe.Add(ref top, c + 1), b0 = Unsafe.Add(ref bottom, c), b1 = Unsafe.Add(ref bottom, c + 1);
                best += (1 & -Greater(t1, v));
                v = MathF.Max(v, t1);
                best += ((r0 + w + c) - best) & -Greater(b0, v);
                v = MathF.Max(v, b0);
                best += ((r0 + w + c + 1) - best) & -Greater(b1, v);
                v = MathF.Max(v, b1);
                Unsafe.Add(ref outRow, j) = v;
                Unsafe.Add(ref argRow, j) = best;
            }
        }
    }

    // Eight outputs at a time with AVX2, the same compares and maxima as the scalar loop lane by lane (so the same
    // values and first-maximum indices): 16 columns of each row are split into even and odd columns, which leaves
    // the outputs in the order 0 1 4 5 2 3 6 7, put right by one 64-bit permute; then four at a time (rows of at
    // least 4). Returns the first output not done.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Pool2x2Row8(ref float top, ref float bottom, ref float outRow, ref int argRow, int r0, int w, int ow)
    {
        var order = Vector256.Create(0, 2, 8, 10, 4, 6, 12, 14);
        int j = 0;
        for (; j + 8 <= ow; j += 8)
        {
            int c = 2 * j;
            Vector256<float> t0 = Vector256.LoadUnsafe(ref top, (nuint)c), t1 = Vector256.LoadUnsafe(ref top, (nuint)(c + 8));
            Vector256<float> b0 = Vector256.LoadUnsafe(ref bottom, (nuint)c), b1 = Vector256.LoadUnsafe(ref bottom, (nuint)(c + 8));
            Vector256<float> topEven = Avx.Shuffle(t0, t1, 0x88), topOdd = Avx.Shuffle(t0, t1, 0xDD);
            Vector256<float> bottomEven = Avx.Shuffle(b0, b1, 0x88), bottomOdd = Avx.Shuffle(b0, b1, 0xDD);
            Vector256<int> index = order + Vector256.Create(r0 + c);
            Vector256<float> v = topEven;
            Vector256<int> best = index;
            best = Vector256.ConditionalSelect(Vector256.GreaterThan(topOdd, v).AsInt32(), index + Vector256<int>.One, best);
            v = Vector256.Max(v, topOdd);
            best = Vector256.ConditionalSelect(Vector256.GreaterThan(bottomEven, v).AsInt32(), index + Vector256.Create(w), best);
            v = Vector256.Max(v, bottomEven);
            best = Vector256.ConditionalSelect(Vector256.GreaterThan(bottomOdd, v).AsInt32(), index + Vector256.Create(w + 1), best);
            v = Vector256.Max(v, bottomOdd);
            Avx2.Permute4x64(v.AsDouble(), 0xD8).AsSingle().StoreUnsafe(ref outRow, (nuint)j);
            Avx2.Permute4x64(best.AsInt64(), 0xD8).AsInt32().StoreUnsafe(ref argRow, (nuint)j);
        }

        // The rest of the row: four outputs at a time, the last four ending at the row's end (rewriting the outputs
        // they overlap with the same values), so a row of 6 (a 12x12 map) or 12 takes no scalar step.
        if (j < ow && ow >= 4)
        {
            for (; j < ow; j += 4)
            {
                Pool2x2Row4(ref top, ref bottom, ref outRow, ref argRow, r0, w, Math.Min(j, ow - 4));
            }
        }

        return j;
    }

    // Four outputs from column 2·j: the lanes of Pool2x2Row8 at 128 bits, whose even/odd split needs no permute.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pool2x2Row4(ref float top, ref float bottom, ref float outRow, ref int argRow, int r0, int w, int j)
    {
        int c = 2 * j;
        Vector128<float> t0 = Vector128.LoadUnsafe(ref top, (nuint)c), t1 = Vector128.LoadUnsafe(ref top, (nuint)(c + 4));
        Vector128<float> b0 = Vector128.LoadUnsafe(ref bottom, (nuint)c), b1 = Vector128.LoadUnsafe(ref bottom, (nuint)(c + 4));
        Vector128<float> topEven = Sse.Shuffle(t0, t1, 0x88), topOdd = Sse.Shuffle(t0, t1, 0xDD);
        Vector128<float> bottomEven = Sse.Shuffle(b0, b1, 0x88), bottomOdd = Sse.Shuffle(b0, b1, 0xDD);
        Vector128<int> index = Vector128.Create(0, 2, 4, 6) + Vector128.Create(r0 + c);
        Vector128<float> v = topEven;
        Vector128<int> best = index;
        best = Vector128.ConditionalSelect(Vector128.GreaterThan(topOdd, v).AsInt32(), index + Vector128<int>.One, best);
        v = Vector128.Max(v, topOdd);
        best = Vector128.ConditionalSelect(Vector128.GreaterThan(bottomEven, v).AsInt32(), index + Vector128.Create(w), best);
        v = Vector128.Max(v, bottomEven);
        best = Vector128.ConditionalSelect(Vector128.GreaterThan(bottomOdd, v).AsInt32(), index + Vector128.Create(w + 1), best);
        v = Vector128.Max(v, bottomOdd);
        v.StoreUnsafe(ref outRow, (nuint)j);
        best.StoreUnsafe(ref argRow, (nuint)j);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Greater(float a, float b)
    {
        bool greater = a > b;
        return Unsafe.As<bool, byte>(ref greater);
    }

    private readonly struct BackwardOperation(float[] dy, int[] argmax, float[] dx, PoolGeometry g) : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            int plane = g.Height * g.Width, outPlane = g.OutHeight * g.OutWidth;
            for (int p = start; p < end; p++)
            {
                Span<float> target = dx.AsSpan(p * plane, plane);
                target.Clear();
                ReadOnlySpan<float> src = dy.AsSpan(p * outPlane, outPlane);
                ReadOnlySpan<int> arg = argmax.AsSpan(p * outPlane, outPlane);
                for (int o = 0; o < outPlane; o++)
                {
                    target[arg[o]] += src[o];
                }
            }
        }
    }
}
