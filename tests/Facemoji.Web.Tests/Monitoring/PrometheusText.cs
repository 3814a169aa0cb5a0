using System.Globalization;
using System.Text.RegularExpressions;

namespace Facemoji.Web.Tests.Monitoring;

/// <summary>
/// A strict reader of the Prometheus text exposition format 0.0.4, enough to check what /metrics writes: every
/// sample line is <c>name{label="value",…} number</c>, every metric family has one HELP and one TYPE line before its
/// samples, and histograms have cumulative buckets ending in le="+Inf" equal to their _count.
/// </summary>
internal sealed partial class PrometheusText
{
    private readonly Dictionary<string, double> samples = new(StringComparer.Ordinal);

    private PrometheusText()
    {
    }

    public Dictionary<string, string> Types { get; } = new(StringComparer.Ordinal);

    /// <summary>A sample by its exact series text, e.g. <c>facemoji_faces_total{source="http"}</c>; 0 when absent.</summary>
    public double this[string series] => samples.GetValueOrDefault(series);

    public IEnumerable<string> Series => samples.Keys;

    public static PrometheusText Parse(string text)
    {
        var result = new PrometheusText();
        var helped = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                string name = line.Split(' ')[2];
                helped.Add(name).Should().BeTrue($"one HELP line per metric ({name})");
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ');
                parts.Should().HaveCount(4, line);
                parts[3].Should().BeOneOf(["counter", "gauge", "histogram", "summary", "untyped"], line);
                result.Types.TryAdd(parts[2], parts[3]).Should().BeTrue($"one TYPE line per metric ({parts[2]})");
                continue;
            }

            line.Should().NotStartWith("#", "comments other than HELP and TYPE are not written");
            Match match = Sample().Match(line);
            match.Success.Should().BeTrue($"'{line}' is a sample line");
            string metric = match.Groups["name"].Value;
            string family = FamilyOf(metric, result.Types);
            result.Types.Should().ContainKey(family, $"TYPE comes before the samples of {metric}");
            helped.Should().Contain(family);
            double value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            string series = metric + match.Groups["labels"].Value;
            result.samples.TryAdd(series, value).Should().BeTrue($"each series appears once ({series})");
        }

        result.CheckHistograms();
        return result;
    }

    private void CheckHistograms()
    {
        foreach (var (family, _) in Types.Where(t => t.Value == "histogram"))
        {
            var buckets = samples.Where(s => s.Key.StartsWith(family + "_bucket{", StringComparison.Ordinal)).ToList();
            // Group the buckets by their labels other than le.
            foreach (var group in buckets.GroupBy(b => LeLabel().Replace(b.Key, "")))
            {
                var ordered = group.Select(b => (Le: ParseLe(LeLabel().Match(b.Key).Groups[1].Value), Count: b.Value)).OrderBy(b => b.Le).ToList();
                ordered[^1].Le.Should().Be(double.PositiveInfinity, $"{group.Key} ends with le=\"+Inf\"");
                for (int i = 1; i < ordered.Count; i++)
                {
                    ordered[i].Count.Should().BeGreaterThanOrEqualTo(ordered[i - 1].Count, $"buckets of {group.Key} are cumulative");
                }

                string labels = group.Key[(family.Length + "_bucket".Length)..].Replace("{,", "{").Replace(",}", "}");
                string count = family + "_count" + (labels == "{}" ? "" : labels);
                samples.Should().ContainKey(count);
                samples[count].Should().Be(ordered[^1].Count, $"{count} equals the +Inf bucket");
                samples.Should().ContainKey(family + "_sum" + (labels == "{}" ? "" : labels));
            }
        }
    }

    private static double ParseLe(string le) => le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);

    private static string FamilyOf(string metric, Dictionary<string, string> types)
    {
        foreach (string suffix in new[] { "_bucket", "_count", "_sum" })
        {
            if (metric.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(metric[..^suffix.Length], out string? type) && type is "histogram" or "summary")
            {
                return metric[..^suffix.Length];
            }
        }

        return metric;
    }

    [GeneratedRegex("""\A(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*)?\})? (?<value>[-+]?(?:[0-9.]+(?:[eE][-+]?[0-9]+)?|Inf|NaN))(?: -?[0-9]+)?\z""")]
    private static partial Regex Sample();

    [GeneratedRegex(""",?le="([^"]*)",?""")]
    private static partial Regex LeLabel();
}
