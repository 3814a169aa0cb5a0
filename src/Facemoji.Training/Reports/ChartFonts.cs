namespace Facemoji.Training.Reports;

/// <summary>
/// The font the charts are drawn in. Skia's Linux build without system dependencies does not ask fontconfig
/// for fonts, so the font file is named here: DejaVu Sans (Debian's fonts-dejavu-core, installed by
/// tools/setup.sh), else Noto Sans or Liberation Sans; on macOS and Windows, Skia finds the system's own.
/// </summary>
internal static class ChartFonts
{
    public const string Family = "DejaVu Sans";

    private static readonly object Gate = new();
    private static bool registered;

    private static readonly (string Regular, string Bold)[] Candidates =
    [
        ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
        ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"),
        ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    ];

    /// <summary>Registers the font file with ScottPlot once; returns the family name to draw in (null: the platform's default).</summary>
    public static string? Ensure()
    {
        lock (Gate)
        {
            if (!registered)
            {
                foreach (var (regular, bold) in Candidates)
                {
                    if (File.Exists(regular))
                    {
                        ScottPlot.Fonts.AddFontFile(Family, regular, bold: false, italic: false);
                        ScottPlot.Fonts.AddFontFile(Family, File.Exists(bold) ? bold : regular, bold: true, italic: false);
                        ScottPlot.Fonts.Default = Family;
                        Found = true;
                        break;
                    }
                }

                registered = true;
            }

            return Found ? Family : null;
        }
    }

    private static bool Found { get; set; }
}
