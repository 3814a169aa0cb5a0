namespace Facemoji.Imaging.Processing;

/// <summary>Copies a rectangle out of an image. The rectangle must lie inside: clip it first with <see cref="PixelRect.ClipTo"/>.</summary>
public static class Cropping
{
    public static GrayImage Crop(GrayImage image, PixelRect rect)
    {
        Check(rect, image.Width, image.Height);
        var result = new GrayImage(rect.Width, rect.Height);
        for (int y = 0; y < rect.Height; y++)
        {
            image.Row(rect.Y + y).Slice(rect.X, rect.Width).CopyTo(result.Row(y));
        }

        return result;
    }

    public static RgbaImage Crop(RgbaImage image, PixelRect rect)
    {
        Check(rect, image.Width, image.Height);
        var result = new RgbaImage(rect.Width, rect.Height);
        for (int y = 0; y < rect.Height; y++)
        {
            image.Row(rect.Y + y).Slice(rect.X * 4, rect.Width * 4).CopyTo(result.Row(y));
        }

        return result;
    }

    private static void Check(PixelRect rect, int width, int height)
    {
        if (rect.Width <= 0 || rect.Height <= 0 || rect.X < 0 || rect.Y < 0 || rect.Right > width || rect.Bottom > height)
        {
            throw new ArgumentOutOfRangeException(nameof(rect), $"Crop {rect} is empty or outside the {width}x{height} image.");
        }
    }
}
