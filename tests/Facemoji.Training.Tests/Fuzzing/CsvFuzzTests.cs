using System.Diagnostics;
using System.Text;
using Facemoji.Engine;
using Facemoji.Training.Data;
using Facemoji.Training.Tests.Data;

namespace Facemoji.Training.Tests.Fuzzing;

/// <summary>
/// Mutated FER2013 CSVs (bit flips, cut files, duplicated and dropped bytes, hostile lines): every one parses or
/// fails with a <see cref="FacemojiException"/> naming the file; none crashes or hangs. Seeded, bounded in time.
/// </summary>
public class CsvFuzzTests
{
    private static readonly byte[] Seed = Encoding.UTF8.GetBytes(TinyCsv.Build([(0, "Training"), (3, "Training"), (6, "PublicTest"), (4, "PrivateTest")]));

    [Fact(Timeout = 60_000)]
    [Trait("Category", "Slow")]
    public async Task Mutated_csvs_parse_or_fail_cleanly()
    {
        await Task.Run(() =>
        {
            var random = new Random(14);
            var clock = Stopwatch.StartNew();
            int cases = 0;
            while (cases < 400 && clock.Elapsed < TimeSpan.FromSeconds(8))
            {
                ParseOrFailCleanly(Mutate(Seed, random), $"case {cases}");
                cases++;
            }

            cases.Should().BeGreaterThan(20, "the suite must exercise the parser, not just start");
        });
    }

    [Theory]
    [InlineData("emotion,pixels\n")]
    [InlineData("emotion,pixels\n9,1 2 3\n")]
    [InlineData("emotion,pixels\n-1,1\n")]
    [InlineData("emotion,pixels\n3,\"unterminated\n")]
    [InlineData("emotion,pixels\n99999999999999999999,1\n")]
    [InlineData("\0\0\0\0")]
    [InlineData("emotion,pixels,Usage\n3,1 2 3,Training,extra,fields,\n")]
    [InlineData("emotion\n3\n")]
    public void Hostile_csvs_fail_with_a_message_naming_the_file(string csv)
    {
        ParseOrFailCleanly(Encoding.UTF8.GetBytes(csv), csv);
    }

    [Fact(Timeout = 30_000)]
    [Trait("Category", "Slow")]
    public async Task A_huge_line_fails_without_hanging()
    {
        string pixels = string.Join(' ', Enumerable.Repeat("255", 500_000));
        await Task.Run(() => ParseOrFailCleanly(Encoding.UTF8.GetBytes($"emotion,pixels\n3,{pixels}\n"), "huge line"));
    }

    private static void ParseOrFailCleanly(byte[] bytes, string because)
    {
        try
        {
            CsvDatasetReader.Parse(bytes, "fuzz.csv", skipBad: false, new SkippedRecords());
        }
        catch (FacemojiException ex)
        {
            ex.Message.Should().Contain("fuzz.csv", because);
        }

        // Skipping bad rows must never throw anything but a FacemojiException either.
        try
        {
            CsvDatasetReader.Parse(bytes, "fuzz.csv", skipBad: true, new SkippedRecords());
        }
        catch (FacemojiException ex)
        {
            ex.Message.Should().Contain("fuzz.csv", because);
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        int edits = random.Next(1, 6);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes.RemoveRange(at, bytes.Count - at); break;
                case 2: bytes.Insert(at, (byte)"\",\n\r 0123456789\0"[random.Next(16)]); break;
                case 3: bytes.RemoveAt(at); break;
                default: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(50, bytes.Count - at))); break;
            }
        }

        return bytes.ToArray();
    }
}
