using System.Numerics;
using Facemoji.Imaging;

namespace Facemoji.Vision.Detection;

/// <summary>
/// Slides the window over stripes [start, end) of every layer (OpenCV's CascadeClassifierInvoker). Stripe k of a
/// layer is rows [k * StripeRows, (k + 1) * StripeRows). Logical index i maps to stripe bit-reverse(i), so the
/// contiguous range each thread gets is spread over the whole image (top and bottom, faces and background).
/// As in OpenCV, a window rejected by the first stage (result 0) skips the next position in its row.
/// </summary>
internal readonly unsafe struct ScanOperation(DetectionWorkspace workspace, bool allowVector) : IRowOperation
{
    public void Invoke(int start, int end)
    {
        CascadeProgram program = workspace.Program;
        int stride = workspace.Stride;
        int bits = BitOperations.Log2((uint)DetectionWorkspace.StripeCount);
        fixed (int* buffer = workspace.Buffer)
        {
            for (int i = start; i < end; i++)
            {
                int stripe = (int)(ReverseBits((uint)i) >> (32 - bits));
                List<PixelRect> hits = workspace.StripeHits[stripe];
                foreach (ScaleLayer layer in workspace.Layers)
                {
                    int y0 = stripe * layer.StripeRows;
                    int y1 = Math.Min(y0 + layer.StripeRows, layer.WorkHeight);
                    for (int y = y0; y < y1; y += layer.Step)
                    {
                        program.ScanRow(buffer + layer.Origin + y * stride, layer, y, hits, allowVector);
                    }
                }
            }
        }
    }

    private static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
        return (v >> 16) | (v << 16);
    }
}
