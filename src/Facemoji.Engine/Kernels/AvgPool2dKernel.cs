using System.Numerics.Tensors;

namespace Facemoji.Engine.Kernels;

/// <summary>Average pooling (count_include_pad=True) over planes in parallel; each output sums clipped window rows with TensorPrimitives.</summary>
internal static class AvgPool2dKernel
{
    // x (N,C,H,W) -> y (N,C,OH,OW) written
    public static void Forward(float[] x, float[] y, in PoolGeometry g) =>
        ParallelRows.For(g.Planes, 16, new ForwardOperation(x, y, g));

    // dy (N,C,OH,OW) -> dx (N,C,H,W) written
    public static void Backward(float[] dy, float[] dx, in PoolGeometry g) =>
        ParallelRows.For(g.Planes, 16, new BackwardOperation(dy, dx, g));

    private readonly struct ForwardOperation(float[] x, float[] y, PoolGeometry g) : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            int h = g.Height, w = g.Width, oh = g.OutHeight, ow = g.OutWidth, plane = h * w;
            float scale = 1f / (g.Kernel * g.Kernel);
            for (int p = start; p < end; p++)
            {
                ReadOnlySpan<float> src = x.AsSpan(p * plane, plane);
                Span<float> dst = y.AsSpan(p * oh * ow, oh * ow);
                for (int i = 0; i < oh; i++)
                {
                    int h0 = (i * g.Stride) - g.Padding;
                    int hs = Math.Max(h0, 0), he = Math.Min(h0 + g.Kernel, h);
                    for (int j = 0; j < ow; j++)
                    {
                        int w0 = (j * g.Stride) - g.Padding;
                        int ws = Math.Max(w0, 0), we = Math.Min(w0 + g.Kernel, w);
                        float sum = 0f;
                        for (int ih = hs; ih < he; ih++)
                        {
                            sum += TensorPrimitives.Sum(src.Slice((ih * w) + ws, we - ws));
                        }

                        dst[(i * ow) + j] = sum * scale;
                    }
                }
            }
        }
    }

    private readonly struct BackwardOperation(float[] dy, float[] dx, PoolGeometry g) : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            int h = g.Height, w = g.Width, oh = g.OutHeight, ow = g.OutWidth, plane = h * w;
            float scale = 1f / (g.Kernel * g.Kernel);
            for (int p = start; p < end; p++)
            {
                Span<float> target = dx.AsSpan(p * plane, plane);
                target.Clear();
                ReadOnlySpan<float> src = dy.AsSpan(p * oh * ow, oh * ow);
                for (int i = 0; i < oh; i++)
                {
                    int h0 = (i * g.Stride) - g.Padding;
                    int hs = Math.Max(h0, 0), he = Math.Min(h0 + g.Kernel, h);
                    for (int j = 0; j < ow; j++)
                    {
                        int w0 = (j * g.Stride) - g.Padding;
                        int ws = Math.Max(w0, 0), we = Math.Min(w0 + g.Kernel, w);
                        float d = src[(i * ow) + j] * scale;
                        for (int ih = hs; ih < he; ih++)
                        {
                            Span<float> row = target.Slice((ih * w) + ws, we - ws);
                            TensorPrimitives.Add(row, d, row);
                        }
                    }
                }
            }
        }
    }
}
