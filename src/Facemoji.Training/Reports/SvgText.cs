using System.Globalization;
using System.Security;

namespace Facemoji.Training.Reports;

/// <summary>Small helpers shared by the hand-written SVG charts: invariant numbers and escaped text.</summary>
internal static class SvgText
{
    public static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Escape(string text) => SecurityElement.Escape(text) ?? string.Empty;
}
