namespace Facemoji.Imaging.Formats.Png;

/// <summary>
/// The five PNG row filters (None, Sub, Up, Average, Paeth): undoing them when decoding, applying them when
/// encoding. <c>stride</c> is the bytes of one complete pixel (at least 1), the distance Sub/Average/Paeth look back.
/// </summary>
internal static class PngFilters
{
    public const int None = 0, Sub = 1, Up = 2, Average = 3, Paeth = 4;

    /// <summary>Reconstructs <paramref name="row"/> in place. row, prior (rowBytes); prior is all zero for the first row of a pass.</summary>
    public static bool Unfilter(int filter, Span<byte> row, ReadOnlySpan<byte> prior, int stride)
    {
        int n = row.Length;
        switch (filter)
        {
            case None:
                return true;
            case Sub:
                for (int i = stride; i < n; i++)
                {
                    row[i] += row[i - stride];
                }

                return true;
            case Up:
                for (int i = 0; i < n; i++)
                {
                    row[i] += prior[i];
                }

                return true;
            case Average:
                for (int i = 0; i < stride && i < n; i++)
                {
                    row[i] += (byte)(prior[i] >> 1);
                }

                for (int i = stride; i < n; i++)
                {
                    row[i] += (byte)((row[i - stride] + prior[i]) >> 1);
                }

                return true;
            case Paeth:
                for (int i = 0; i < stride && i < n; i++)
                {
                    row[i] += prior[i];
                }

                for (int i = stride; i < n; i++)
                {
                    row[i] += PaethPredictor(row[i - stride], prior[i], prior[i - stride]);
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>Writes row filtered with <paramref name="filter"/> into output (rowBytes). Returns the sum of |signed bytes|, the adaptive choice's cost.</summary>
    public static int Apply(int filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int stride, Span<byte> output)
    {
        int n = row.Length;
        int cost = 0;
        for (int i = 0; i < n; i++)
        {
            int a = i >= stride ? row[i - stride] : 0;
            int b = prior[i];
            int c = i >= stride ? prior[i - stride] : 0;
            int predicted = filter switch
            {
                Sub => a,
                Up => b,
                Average => (a + b) >> 1,
                Paeth => PaethPredictor(a, b, c),
                _ => 0,
            };
            byte value = (byte)(row[i] - predicted);
            output[i] = value;
            cost += Math.Abs((int)(sbyte)value);
        }

        return cost;
    }

    public static byte PaethPredictor(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc)
        {
            return (byte)a;
        }

        return (byte)(pb <= pc ? b : c);
    }
}
