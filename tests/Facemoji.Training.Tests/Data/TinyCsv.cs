using System.Text;

namespace Facemoji.Training.Tests.Data;

/// <summary>Builds small FER2013-style CSVs whose pixels encode the row, so tests can check what landed where.</summary>
public static class TinyCsv
{
    /// <summary>Pixel value of image <paramref name="row"/> at index <paramref name="i"/>.</summary>
    public static byte Pixel(int row, int i) => (byte)((row * 7 + i) % 256);

    public static string Pixels(int row, int count = 2304) => string.Join(' ', Enumerable.Range(0, count).Select(i => Pixel(row, i)));

    public static string Build(IEnumerable<(int Code, string? Usage)> rows, bool header = true)
    {
        var list = rows.ToList();
        bool usage = list.Any(r => r.Usage is not null);
        var text = new StringBuilder();
        if (header)
        {
            text.Append(usage ? "emotion,pixels,Usage\n" : "emotion,pixels\n");
        }

        for (int i = 0; i < list.Count; i++)
        {
            text.Append(list[i].Code).Append(',').Append(Pixels(i));
            if (usage)
            {
                text.Append(',').Append(list[i].Usage);
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
