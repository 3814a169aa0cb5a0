namespace Facemoji.Imaging.Formats.Jpeg;

/// <summary>The colour space a JPEG stores (TurboJPEG's TJCS_* codes).</summary>
public enum JpegColorSpace
{
    Rgb = 0,
    YCbCr = 1,
    Gray = 2,
    Cmyk = 3,
    Ycck = 4,
}
