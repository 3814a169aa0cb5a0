namespace Facemoji.Imaging;

/// <summary>
/// Image file formats recognised by their first bytes. Only <see cref="Png"/> and <see cref="Jpeg"/> are read
/// and written; the others are recognised so that the error can say what the file is.
/// </summary>
public enum ImageFileFormat
{
    Unknown,
    Png,
    Jpeg,
    Gif,
    Bmp,
    WebP,
    Tiff,
    Ico,
    Heif,
    Avif,
    Jpeg2000,
    JpegXl,
    Psd,
    Qoi,
    Pdf,
    Svg,
    Pnm,
    Video,
}
