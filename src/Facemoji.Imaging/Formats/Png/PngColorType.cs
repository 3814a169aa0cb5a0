namespace Facemoji.Imaging.Formats.Png;

/// <summary>The colour types of the PNG header, with their numeric codes.</summary>
public enum PngColorType : byte
{
    Gray = 0,
    Rgb = 2,
    Palette = 3,
    GrayAlpha = 4,
    Rgba = 6,
}
