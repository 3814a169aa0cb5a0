using Facemoji.Imaging;
using Facemoji.Imaging.Processing;

namespace Facemoji.Pipeline.Classification;

/// <summary>
/// Cuts a detected face out of a gray frame and scales it to the classifier's input, framed like a FER2013
/// image. Run on FER2013's own faces, the Haar detector finds a box almost exactly the size of the 48x48 frame
/// (median frame/box side ratio 1.02, centred; tools/measure_fer_framing.py, docs/PIPELINE.md), so the box
/// grows by only <see cref="Margin"/> of its size on every side before the cut. The part of the grown box outside the frame is filled by
/// repeating the edge pixels, as OpenCV's BORDER_REPLICATE does, so a face at the border keeps its framing.
/// </summary>
public static class FaceCrop
{
    public const double Margin = 0.01;

    /// <summary>The region of the frame that frames the face like FER2013 (may extend past the frame).</summary>
    public static PixelRect Framing(PixelRect box)
    {
        int growX = (int)Math.Round(box.Width * Margin), growY = (int)Math.Round(box.Height * Margin);
        return new PixelRect(box.X - growX, box.Y - growY, box.Width + 2 * growX, box.Height + 2 * growY);
    }

    public static GrayImage Extract(GrayImage frame, PixelRect box, int size)
    {
        var region = Framing(box);
        var cut = new GrayImage(region.Width, region.Height);
        for (int y = 0; y < region.Height; y++)
        {
            var source = frame.Row(Math.Clamp(region.Y + y, 0, frame.Height - 1));
            var target = cut.Row(y);
            for (int x = 0; x < region.Width; x++)
            {
                target[x] = source[Math.Clamp(region.X + x, 0, frame.Width - 1)];
            }
        }

        // Area averaging when shrinking (every source pixel counts, no aliasing), bilinear when enlarging.
        var mode = region.Width >= size ? ResizeMode.Area : ResizeMode.Bilinear;
        return Resizer.Resize(cut, size, size, mode);
    }
}
