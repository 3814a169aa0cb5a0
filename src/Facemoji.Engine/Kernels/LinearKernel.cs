using System.Numerics.Tensors;

namespace Facemoji.Engine.Kernels;

/// <summary>A fully connected layer as GEMMs: y = x·Wᵀ + b.</summary>
internal static class LinearKernel
{
    // x (N,In), w (Out,In), bias (Out) or empty -> y (N,Out) written
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, int n, int inFeatures, int outFeatures)
    {
        Gemm.Sgemm(Transpose.None, Transpose.Transposed, n, outFeatures, inFeatures, x, inFeatures, w, inFeatures, y, outFeatures, false);
        if (!bias.IsEmpty)
        {
            for (int b = 0; b < n; b++)
            {
                Span<float> row = y.Slice(b * outFeatures, outFeatures);
                TensorPrimitives.Add(row, bias[..outFeatures], row);
            }
        }
    }

    // x (N,In), w (Out,In), dy (N,Out) -> dx (N,In) written (empty: skipped); dw (Out,In), dbias (Out or empty) accumulated
    public static void Backward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dy, Span<float> dx, Span<float> dw, Span<float> dbias, int n, int inFeatures, int outFeatures)
    {
        // dw (Out,In) += dyᵀ (Out,N) · x (N,In)
        Gemm.Sgemm(Transpose.Transposed, Transpose.None, outFeatures, inFeatures, n, dy, outFeatures, x, inFeatures, dw, inFeatures, true);
        if (!dbias.IsEmpty)
        {
            Span<float> db = dbias[..outFeatures];
            for (int b = 0; b < n; b++)
            {
                TensorPrimitives.Add(db, dy.Slice(b * outFeatures, outFeatures), db);
            }
        }

        if (!dx.IsEmpty)
        {
            // dx (N,In) = dy (N,Out) · w (Out,In)
            Gemm.Sgemm(Transpose.None, Transpose.None, n, inFeatures, outFeatures, dy, outFeatures, w, inFeatures, dx, inFeatures, false);
        }
    }
}
