namespace Facemoji.Benchmarks.Web;

/// <summary>Median, 95th percentile and maximum of a set of timings (milliseconds).</summary>
public sealed record Percentiles(double Median, double P95, double Max, int Count)
{
    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Percentiles(double.NaN, double.NaN, double.NaN, 0);
        }

        return new Percentiles(At(sorted, 0.5), At(sorted, 0.95), sorted[^1], sorted.Length);
    }

    private static double At(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(q * (sorted.Length - 1) + 0.5))];
}
