using Facemoji.Engine;
using Facemoji.Imaging.Drawing;

namespace Facemoji.Training.Reports;

/// <summary>
/// The font the charts are drawn in: the labels' font (<see cref="LabelFont"/>: DejaVu Sans from Debian's
/// fonts-dejavu-core, or what <c>$FACEMOJI_FONT</c> names), registered with ScottPlot once, with its bold sibling
/// where one is installed. Skia's Linux build without system dependencies does not ask fontconfig for fonts, so the
/// file must be named; without one the charts fall back to ScottPlot's default.
/// </summary>
internal static class ChartFonts
{
    public const string Family = "DejaVu Sans";

    private static readonly Lazy<string?> Registered = new(Register);

    /// <summary>Registers the font file with ScottPlot once; returns the family name to draw in (null: the platform's default).</summary>
    public static string? Ensure() => Registered.Value;

    private static string? Register()
    {
        string regular;
        try
        {
            regular = LabelFont.Default.Path;
        }
        catch (FacemojiException)
        {
            return null;
        }

        string bold = regular.Replace("-Regular.ttf", "-Bold.ttf", StringComparison.Ordinal).Replace("Sans.ttf", "Sans-Bold.ttf", StringComparison.Ordinal);
        ScottPlot.Fonts.AddFontFile(Family, regular, bold: false, italic: false);
        ScottPlot.Fonts.AddFontFile(Family, File.Exists(bold) ? bold : regular, bold: true, italic: false);
        ScottPlot.Fonts.Default = Family;
        return Family;
    }
}
