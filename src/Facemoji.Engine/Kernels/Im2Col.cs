namespace Facemoji.Engine.Kernels;

/// <summary>
/// Unfolds one image into the column matrix that turns a convolution into a matrix product, and folds a
/// column-matrix gradient back (col2im). Column row r = (ci, kh, kw) holds, for every output pixel, the input
/// pixel that kernel tap meets (0 in the padding). Columns can be written at an offset inside a wider matrix
/// (row stride <c>ldc</c>), which lets several images share one GEMM.
/// </summary>
internal static class Im2Col
{
    // image (Cin,H,W) -> col (Cin*KH*KW rows, OH*OW columns starting at colOffset, row stride ldc).
    public static void Unfold(ReadOnlySpan<float> image, Span<float> col, int colOffset, int ldc, in ConvGeometry g) =>
        Unfold(image, col, colOffset, ldc, g, 0, g.OutHeight);

    // image (Cin,H,W) -> col (Cin*KH*KW rows, outputRowCount*OW columns starting at colOffset, row stride ldc):
    // only output rows [firstOutputRow, firstOutputRow + outputRowCount), a strip that stays in cache.
    public static void Unfold(ReadOnlySpan<float> image, Span<float> col, int colOffset, int ldc, in ConvGeometry g, int firstOutputRow, int outputRowCount)
    {
        int oh = outputRowCount, ow = g.OutWidth, h = g.Height, w = g.Width, s = g.Stride, p = g.Padding;
        int row = 0;
        for (int ci = 0; ci < g.InChannels; ci++)
        {
            ReadOnlySpan<float> plane = image.Slice(ci * h * w, h * w);
            for (int kh = 0; kh < g.KernelHeight; kh++)
            {
                for (int kw = 0; kw < g.KernelWidth; kw++, row++)
                {
                    Span<float> dst = col.Slice((row * ldc) + colOffset, oh * ow);
                    // The output columns whose input column iw = j*s - p + kw lies inside [0, w).
                    int jStart = Math.Max(0, CeilDiv(p - kw, s));
                    int jEnd = Math.Min(ow, CeilDiv(w + p - kw, s));
                    for (int i = 0; i < oh; i++)
                    {
                        Span<float> outRow = dst.Slice(i * ow, ow);
                        int ih = ((firstOutputRow + i) * s) - p + kh;
                        if (ih < 0 || ih >= h || jStart >= jEnd)
                        {
                            outRow.Clear();
                            continue;
                        }

                        outRow[..jStart].Clear();
                        outRow[jEnd..].Clear();
                        ReadOnlySpan<float> inRow = plane.Slice(ih * w, w);
                        int iw0 = (jStart * s) - p + kw;
                        if (s == 1)
                        {
                            inRow.Slice(iw0, jEnd - jStart).CopyTo(outRow[jStart..jEnd]);
                        }
                        else
                        {
                            for (int j = jStart, iw = iw0; j < jEnd; j++, iw += s)
                            {
                                outRow[j] = inRow[iw];
                            }
                        }
                    }
                }
            }
        }
    }

    // col (Cin*KH*KW rows, OH*OW columns at colOffset, row stride ldc) -> image (Cin,H,W), ADDED into image.
    public static void FoldAdd(ReadOnlySpan<float> col, int colOffset, int ldc, Span<float> image, in ConvGeometry g)
    {
        int oh = g.OutHeight, ow = g.OutWidth, h = g.Height, w = g.Width, s = g.Stride, p = g.Padding;
        int row = 0;
        for (int ci = 0; ci < g.InChannels; ci++)
        {
            Span<float> plane = image.Slice(ci * h * w, h * w);
            for (int kh = 0; kh < g.KernelHeight; kh++)
            {
                for (int kw = 0; kw < g.KernelWidth; kw++, row++)
                {
                    ReadOnlySpan<float> src = col.Slice((row * ldc) + colOffset, oh * ow);
                    int jStart = Math.Max(0, CeilDiv(p - kw, s));
                    int jEnd = Math.Min(ow, CeilDiv(w + p - kw, s));
                    if (jStart >= jEnd)
                    {
                        continue;
                    }

                    for (int i = 0; i < oh; i++)
                    {
                        int ih = (i * s) - p + kh;
                        if (ih < 0 || ih >= h)
                        {
                            continue;
                        }

                        Span<float> inRow = plane.Slice(ih * w, w);
                        ReadOnlySpan<float> colRow = src.Slice(i * ow, ow);
                        int iw0 = (jStart * s) - p + kw;
                        if (s == 1)
                        {
                            Span<float> target = inRow.Slice(iw0, jEnd - jStart);
                            System.Numerics.Tensors.TensorPrimitives.Add(target, colRow[jStart..jEnd], target);
                        }
                        else
                        {
                            for (int j = jStart, iw = iw0; j < jEnd; j++, iw += s)
                            {
                                inRow[iw] += colRow[j];
                            }
                        }
                    }
                }
            }
        }
    }

    private static int CeilDiv(int a, int b) => a >= 0 ? (a + b - 1) / b : -((-a) / b);
}
