namespace Facemoji.Imaging;

/// <summary>An axis-aligned rectangle in pixel coordinates: a face box, a drawing region.</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;

    public int Bottom => Y + Height;

    public long Area => (long)Width * Height;

    /// <summary>Intersection over union, the overlap measure used for matching boxes and tracks.</summary>
    public double IoU(PixelRect other)
    {
        int x0 = Math.Max(X, other.X), y0 = Math.Max(Y, other.Y);
        int x1 = Math.Min(Right, other.Right), y1 = Math.Min(Bottom, other.Bottom);
        if (x1 <= x0 || y1 <= y0)
        {
            return 0;
        }

        double inter = (double)(x1 - x0) * (y1 - y0);
        return inter / (Area + other.Area - inter);
    }

    public PixelRect ClipTo(int width, int height)
    {
        int x0 = Math.Clamp(X, 0, width), y0 = Math.Clamp(Y, 0, height);
        int x1 = Math.Clamp(Right, 0, width), y1 = Math.Clamp(Bottom, 0, height);
        return new PixelRect(x0, y0, x1 - x0, y1 - y0);
    }
}
