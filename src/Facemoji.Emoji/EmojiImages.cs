using Facemoji.Imaging;
using Facemoji.Imaging.Processing;

namespace Facemoji.Emoji;

/// <summary>Fitting picture-pack images (any aspect ratio) into the square every pack returns.</summary>
internal static class EmojiImages
{
    /// <summary>
    /// Scales <paramref name="image"/> to fit a <paramref name="size"/> square keeping its aspect ratio, centred
    /// on a transparent background (Noto's 136x128 bitmaps gain transparent rows top and bottom). The scaling
    /// is <see cref="Resizer"/>'s INTER_AREA on premultiplied colour, so that the colour hidden under
    /// transparent pixels (black in Noto's palettes) does not leak into the edges as a dark fringe.
    /// </summary>
    public static RgbaImage FitSquare(RgbaImage image, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        float scale = (float)size / Math.Max(image.Width, image.Height);
        int width = Math.Clamp((int)MathF.Round(image.Width * scale), 1, size);
        int height = Math.Clamp((int)MathF.Round(image.Height * scale), 1, size);
        var scaled = width == image.Width && height == image.Height
            ? image
            : Unpremultiply(Resizer.Resize(Premultiply(image), width, height, ResizeMode.Area));

        var square = new RgbaImage(size, size);
        int left = (size - width) / 2, top = (size - height) / 2;
        for (int y = 0; y < height; y++)
        {
            scaled.Row(y).CopyTo(square.Row(top + y).Slice(left * 4));
        }

        return square;
    }

    private static RgbaImage Premultiply(RgbaImage image)
    {
        var result = new RgbaImage(image.Width, image.Height);
        byte[] source = image.Pixels, target = result.Pixels;
        for (int i = 0; i < source.Length; i += 4)
        {
            int alpha = source[i + 3];
            target[i] = (byte)((source[i] * alpha + 127) / 255);
            target[i + 1] = (byte)((source[i + 1] * alpha + 127) / 255);
            target[i + 2] = (byte)((source[i + 2] * alpha + 127) / 255);
            target[i + 3] = (byte)alpha;
        }

        return result;
    }

    private static RgbaImage Unpremultiply(RgbaImage image)
    {
        byte[] pixels = image.Pixels;
        for (int i = 0; i < pixels.Length; i += 4)
        {
            int alpha = pixels[i + 3];
            if (alpha == 0)
            {
                pixels[i] = pixels[i + 1] = pixels[i + 2] = 0;
                continue;
            }

            pixels[i] = (byte)Math.Min(255, (pixels[i] * 255 + alpha / 2) / alpha);
            pixels[i + 1] = (byte)Math.Min(255, (pixels[i + 1] * 255 + alpha / 2) / alpha);
            pixels[i + 2] = (byte)Math.Min(255, (pixels[i + 2] * 255 + alpha / 2) / alpha);
        }

        return image;
    }
}
