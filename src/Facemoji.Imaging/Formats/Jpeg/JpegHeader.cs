namespace Facemoji.Imaging.Formats.Jpeg;

/// <summary>
/// What a JPEG header says: the stored size (before EXIF orientation), the colour space, the EXIF
/// orientation (1 to 8, 1 when absent) and whether an Adobe APP14 marker is present.
/// </summary>
internal readonly record struct JpegHeader(int Width, int Height, JpegColorSpace ColorSpace, int Orientation, bool HasAdobeMarker)
{
    /// <summary>Orientations 5 to 8 turn the image a quarter: width and height swap when it is shown.</summary>
    public bool SwapsSides => Orientation >= 5;

    public int DisplayWidth => SwapsSides ? Height : Width;

    public int DisplayHeight => SwapsSides ? Width : Height;
}
