using System.Globalization;
using Facemoji.Imaging;
using Facemoji.Imaging.Processing;

namespace Facemoji.Pipeline.Classification;

/// <summary>
/// Cuts a detected face out of a gray frame and scales it to the classifier's input, framed like a FER2013
/// image. Run on FER2013's own faces, the Haar detector finds a box almost exactly the size of the 48x48 frame
/// (median frame/box side ratio 1.02, centred; tools/measure_fer_framing.py, docs/PIPELINE.md), so the box
/// grows by only <see cref="Margin"/> of its size on every side before the cut (the model's crop policy
/// <c>face-box-1.02</c>, which <see cref="MarginOf"/> reads). The part of the grown box outside the frame is filled by
/// repeating the edge pixels, as OpenCV's BORDER_REPLICATE does, so a face at the border keeps its framing.
/// </summary>
public static class FaceCrop
{
    /// <summary>The margin of the FER2013 framing, on each side, as a fraction of the box's side.</summary>
    public const double Margin = 0.01;

    /// <summary>The crop policies a model file may name: the detected box scaled by SCALE about its centre.</summary>
    public const string PolicyPrefix = "face-box-";

    /// <summary>
    /// The margin on each side that a model's crop policy <c>face-box-SCALE</c> asks for: (SCALE − 1) / 2, e.g.
    /// <c>face-box-1.02</c> → 0.01. SCALE runs from 1 (the box itself) to 3; anything else is an error naming
    /// <paramref name="source"/> (the model file).
    /// </summary>
    public static double MarginOf(string cropPolicy, string source)
    {
        if (cropPolicy.StartsWith(PolicyPrefix, StringComparison.Ordinal)
            && double.TryParse(cropPolicy.AsSpan(PolicyPrefix.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out double scale)
            && scale >= 1 && scale <= 3)
        {
            return (scale - 1) / 2;
        }

        throw new FacemojiException($"{source}: crop policy '{cropPolicy}' is not one the pipeline knows ({PolicyPrefix}SCALE with SCALE from 1 to 3, e.g. {PolicyPrefix}1.02).");
    }

    /// <summary>The region of the frame that frames the face like FER2013 (may extend past the frame).</summary>
    public static PixelRect Framing(PixelRect box, double margin = Margin)
    {
        int growX = (int)Math.Round(box.Width * margin), growY = (int)Math.Round(box.Height * margin);
        return new PixelRect(box.X - growX, box.Y - growY, box.Width + 2 * growX, box.Height + 2 * growY);
    }

    public static GrayImage Extract(GrayImage frame, PixelRect box, int size, double margin = Margin)
    {
        var region = Framing(box, margin);
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
