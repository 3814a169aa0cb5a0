using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// Max pooling of one channel-last image whose pixels are stored with a channel pitch of whole vectors (lanes past the
/// channels zero), for the TFLite interpreter: per output pixel and channel vector, the maximum of the window's
/// vectors, padding never counting. Generic over <see cref="IFloatLanes{TVector}"/> (512/256/128-bit, or scalar).
/// Plain reference: the loops of <c>ChannelLastMaxPoolKernelTests</c> and the interpreter's reference plan.
/// </summary>
internal static unsafe class ChannelLastMaxPoolKernel
{
    /// <summary>Whether pixels of this pitch can be pooled here: whole vectors of the widest width.</summary>
    public static bool Supports(int pitch) => pitch % DirectConvKernel.Lanes == 0;

    // x (H,W,pitch) -> y (OH,OW,pitch), window (KH,KW), stride, padding before (top, left) that never counts.
    public static void Forward(
        ReadOnlySpan<float> x, Span<float> y, int pitch, int height, int width, int kernelHeight, int kernelWidth, int stride, int padTop, int padLeft,
        int outHeight, int outWidth)
    {
        if (!Supports(pitch) || x.Length < height * width * pitch || y.Length < outHeight * outWidth * pitch)
        {
            throw new ArgumentException("The pitch is not whole vectors or a buffer is smaller than the pool's geometry needs.");
        }

        var g = new Geometry(pitch, height, width, kernelHeight, kernelWidth, stride, padTop, padLeft, outHeight, outWidth);
        fixed (float* xp = x, yp = y)
        {
            switch (DirectConvKernel.Lanes)
            {
                case 16: Run<Float512Lanes, Vector512<float>>(xp, yp, g); break;
                case 8: Run<Float256Lanes, Vector256<float>>(xp, yp, g); break;
                case 4: Run<Float128Lanes, Vector128<float>>(xp, yp, g); break;
                default: Run<ScalarLanes, float>(xp, yp, g); break;
            }
        }
    }

    private readonly record struct Geometry(
        int Pitch, int Height, int Width, int KernelHeight, int KernelWidth, int Stride, int PadTop, int PadLeft, int OutHeight, int OutWidth);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TLanes, TVector>(float* x, float* y, Geometry g)
        where TLanes : struct, IFloatLanes<TVector>
        where TVector : struct
    {
        int lanes = TLanes.Count;
        for (int oy = 0; oy < g.OutHeight; oy++)
        {
            int y0 = Math.Max(0, (oy * g.Stride) - g.PadTop), y1 = Math.Min(g.Height, (oy * g.Stride) - g.PadTop + g.KernelHeight);
            for (int ox = 0; ox < g.OutWidth; ox++)
            {
                int x0 = Math.Max(0, (ox * g.Stride) - g.PadLeft), x1 = Math.Min(g.Width, (ox * g.Stride) - g.PadLeft + g.KernelWidth);
                float* target = y + ((((long)oy * g.OutWidth) + ox) * g.Pitch);
                float* first = x + ((((long)y0 * g.Width) + x0) * g.Pitch);
                for (int c = 0; c < g.Pitch; c += lanes)
                {
                    var best = TLanes.Load(first + c);
                    for (int iy = y0; iy < y1; iy++)
                    {
                        float* row = x + ((long)iy * g.Width * g.Pitch) + c;
                        for (int ix = x0; ix < x1; ix++)
                        {
                            best = TLanes.Max(best, TLanes.Load(row + ((long)ix * g.Pitch)));
                        }
                    }

                    TLanes.Store(best, target + c);
                }
            }
        }
    }
}
