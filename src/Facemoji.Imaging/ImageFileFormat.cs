namespace Facemoji.Imaging;

/// <summary>
/// Image file formats recognised by their first bytes. <see cref="Png"/>, <see cref="Jpeg"/>, <see cref="WebP"/>,
/// <see cref="Gif"/> and <see cref="Bmp"/> are read (<see cref="ImageCodecs.IsReadable"/>); PNG, JPEG and WebP are
/// written. The others are recognised so that the error can say what the file is.
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
