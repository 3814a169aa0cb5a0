using System.Globalization;
using System.Text.RegularExpressions;
using Facemoji.Engine;

namespace Facemoji.Training.Runs;

/// <summary>Parses durations as people write them for --time-budget: "90m", "1h30m", "45s", "1.5h", or "01:30:00".</summary>
public static partial class DurationText
{
    // Longer than any run, and far from TimeSpan's limit (10 million days), which "99999999999999h" passed.
    private const int MaxDays = 365;

    public static TimeSpan Parse(string text)
    {
        string trimmed = text.Trim().ToLowerInvariant();
        if (TimeSpan.TryParseExact(trimmed, ["h\\:mm\\:ss", "hh\\:mm\\:ss", "m\\:ss"], CultureInfo.InvariantCulture, out var exact))
        {
            return exact > TimeSpan.Zero ? exact : throw Zero(text);
        }

        var match = Pattern().Match(trimmed);
        if (match.Success && trimmed.Length > 0)
        {
            double seconds = 0;
            foreach (Capture capture in match.Groups["part"].Captures)
            {
                var part = PartPattern().Match(capture.Value);
                double value = double.Parse(part.Groups["value"].Value, CultureInfo.InvariantCulture);
                seconds += part.Groups["unit"].Value switch
                {
                    "h" => value * 3600,
                    "m" or "min" => value * 60,
                    _ => value,
                };
            }

            if (seconds > MaxDays * 86400)
            {
                throw new FacemojiException($"'{text}' is more than {MaxDays} days; a time budget is for one run, like 90m, 1h30m or 45s.");
            }

            return seconds > 0 ? TimeSpan.FromSeconds(seconds) : throw Zero(text);
        }

        throw new FacemojiException($"'{text}' is not a duration; write it like 90m, 1h30m, 45s or 01:30:00.");
    }

    private static FacemojiException Zero(string text) => new($"'{text}' is no time at all; give a duration above 0, like 90m, 1h30m, 45s or 01:30:00.");

    /// <summary>"45s", "3m52s", "1h02m": short, for progress lines.</summary>
    public static string Format(TimeSpan duration)
    {
        long seconds = (long)Math.Round(Math.Max(0, duration.TotalSeconds));
        return seconds switch
        {
            < 60 => $"{seconds}s",
            < 3600 => $"{seconds / 60}m{seconds % 60:00}s",
            _ => $"{seconds / 3600}h{seconds % 3600 / 60:00}m",
        };
    }

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?\s*(h|min|m|s))+$")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"(?<value>\d+(\.\d+)?)\s*(?<unit>h|min|m|s)")]
    private static partial Regex PartPattern();
}
