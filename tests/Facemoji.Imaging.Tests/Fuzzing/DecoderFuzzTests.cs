using System.Buffers.Binary;
using System.Diagnostics;
using Facemoji.Imaging.Formats.Skia;
using Facemoji.Imaging.Tests.Support;

namespace Facemoji.Imaging.Tests.Fuzzing;

/// <summary>
/// Seeded fuzzing of the decoders: random bytes and mutated valid PNG, JPEG, WebP, GIF and BMP files. Whatever the input, only a
/// <see cref="FacemojiException"/> may escape, every case finishes quickly, and no case allocates much managed
/// memory (a header claiming a huge image is refused before the pixel buffer exists).
/// </summary>
public class DecoderFuzzTests
{
    private const long MaxAllocationPerCase = 64L << 20;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    private static byte[][] Seeds(string folder, string pattern) =>
        Directory.GetFiles(TestFiles.Fixture(folder), pattern).Order().Select(File.ReadAllBytes).ToArray();

    [Fact]
    public void Random_bytes_only_raise_facemoji_exceptions()
    {
        var random = new Random(1001);
        RunCases(1500, i =>
        {
            byte[] data = new byte[random.Next(0, 600)];
            random.NextBytes(data);
            // Most cases wear a real signature, so that they get past sniffing into the decoders.
            ReadOnlySpan<byte> prefix = (i % 3) switch
            {
                0 => PngBytes.Signature,
                1 => [0xFF, 0xD8, 0xFF],
                _ => [],
            };
            prefix[..Math.Min(prefix.Length, data.Length)].CopyTo(data);
            return data;
        });
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Mutated_pngs_only_raise_facemoji_exceptions()
    {
        byte[][] seeds = Seeds("png", "*.png");
        var random = new Random(2002);
        RunCases(2000, i =>
        {
            byte[] seed = seeds[random.Next(seeds.Length)];
            // Half the cases repair the chunk CRCs after mutating, to reach inflate, filters and pixel conversion.
            return i % 2 == 0 ? Mutate(seed, random) : FixCrcs(MutateChunkPayload(seed, random));
        });
    }

    [Fact]
    public void Mutated_jpegs_only_raise_facemoji_exceptions()
    {
        byte[][] seeds = Seeds("jpeg", "*.jpg");
        var random = new Random(3003);
        RunCases(2000, _ =>
        {
            byte[] seed = seeds[random.Next(seeds.Length)];
            byte[] data = Mutate(seed, random);
            if (data.Length < 3)
            {
                Array.Resize(ref data, 3);
            }

            data[0] = 0xFF; // keep SOI so libjpeg-turbo does the work
            data[1] = 0xD8;
            data[2] = 0xFF;
            return data;
        });
    }

    [Fact]
    public void Mutated_jpegs_through_skias_codec_only_raise_facemoji_exceptions()
    {
        byte[][] seeds = Seeds("jpeg", "*.jpg");
        var random = new Random(3003);
        RunCases(2000, _ =>
        {
            byte[] data = Mutate(seeds[random.Next(seeds.Length)], random);
            if (data.Length < 3)
            {
                Array.Resize(ref data, 3);
            }

            data[0] = 0xFF;
            data[1] = 0xD8;
            data[2] = 0xFF;
            return data;
        }, skiaJpeg: true);
    }

    [Fact]
    public void Mutated_webp_gif_and_bmp_only_raise_facemoji_exceptions()
    {
        // Seeds written here (the formats Skia added); mutated as the PNG and JPEG files are.
        RgbaImage photo = Facemoji.Imaging.Processing.Resizer.Resize(ImageCodecs.Load(RepositoryFiles.SamplePhoto()), 48, 40);
        byte[][] seeds =
        [
            TestImageFiles.WebP(photo),
            ImageCodecs.Encode(photo, ImageFileFormat.WebP, 30),
            TestImageFiles.Gif(Facemoji.Imaging.Processing.ColorConversion.ToGray(photo)),
            TestImageFiles.Bmp(photo),
        ];
        var random = new Random(4004);
        RunCases(2000, _ => Mutate(seeds[random.Next(seeds.Length)], random));
    }

    [Theory]
    [InlineData(100_000, 100_000)]
    [InlineData(65_535, 65_535)]
    [InlineData(10_000, 10_000)]
    [InlineData(9_000, 9_000)]
    [InlineData(1, 100_000_000)]
    public void Huge_claimed_sizes_are_refused_before_allocating(int width, int height)
    {
        byte[] png = DecoderFuzzTestsHelpers.PngClaiming(width, height);
        byte[] jpeg = DecoderFuzzTestsHelpers.JpegClaiming(File.ReadAllBytes(TestFiles.Fixture("jpeg", "baseline_420.jpg")), width, height);
        foreach (byte[] data in new[] { png, jpeg })
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var act = () => ImageCodecs.Decode(data, "claim");
            act.Should().Throw<ImageFormatException>();
            (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20);
        }
    }

    private static void RunCases(int count, Func<int, byte[]> makeCase, bool skiaJpeg = false)
    {
        var failures = new List<string>();
        var worst = TimeSpan.Zero;
        var task = Task.Run(() =>
        {
            for (int i = 0; i < count; i++)
            {
                byte[] data = makeCase(i);
                var watch = Stopwatch.StartNew();
                long before = GC.GetAllocatedBytesForCurrentThread();
                foreach (bool gray in new[] { false, true })
                {
                    try
                    {
                        if (skiaJpeg)
                        {
                            // Skia's JPEG codec, which ImageCodecs uses where libjpeg-turbo is not installed.
                            _ = gray ? (object)SkiaCodec.DecodeGray(data, ImageFileFormat.Jpeg, "fuzz") : SkiaCodec.Decode(data, ImageFileFormat.Jpeg, "fuzz");
                        }
                        else if (gray)
                        {
                            ImageCodecs.DecodeGray(data, "fuzz");
                        }
                        else
                        {
                            ImageCodecs.Decode(data, "fuzz");
                        }
                    }
                    catch (FacemojiException e)
                    {
                        if (!e.Message.StartsWith("fuzz: ", StringComparison.Ordinal))
                        {
                            failures.Add($"case {i}: message does not name the source: {e.Message}");
                        }
                    }
                    catch (Exception e)
                    {
                        failures.Add($"case {i} ({data.Length} bytes, {Convert.ToHexString(data.AsSpan(0, Math.Min(24, data.Length)))}...): {e.GetType().Name}: {e.Message}");
                    }
                }

                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                if (allocated > MaxAllocationPerCase)
                {
                    failures.Add($"case {i}: {data.Length} bytes of input allocated {allocated >> 20} MB");
                }

                worst = watch.Elapsed > worst ? watch.Elapsed : worst;
            }
        });

        task.Wait(Budget).Should().BeTrue($"{count} cases must finish within {Budget} (a hang?)");
        failures.Should().BeEmpty();
        worst.Should().BeLessThan(TimeSpan.FromSeconds(5), "no single case may take long");
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var data = new List<byte>(seed);
        int operations = 1 + random.Next(4);
        for (int k = 0; k < operations && data.Count > 0; k++)
        {
            int at = random.Next(data.Count);
            switch (random.Next(6))
            {
                case 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    data[at] = (byte)random.Next(256);
                    break;
                case 2:
                    data.RemoveRange(at, data.Count - at); // truncate
                    break;
                case 3:
                    var extra = new byte[1 + random.Next(16)];
                    random.NextBytes(extra);
                    data.InsertRange(at, extra);
                    break;
                case 4:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(32)));
                    break;
                default:
                    data[at] = random.Next(2) == 0 ? (byte)0xFF : (byte)0x00;
                    break;
            }
        }

        return [.. data];
    }

    /// <summary>Changes bytes inside one chunk of a PNG (type and length kept); the CRC is repaired afterwards.</summary>
    private static byte[] MutateChunkPayload(byte[] png, Random random)
    {
        byte[] data = (byte[])png.Clone();
        var chunks = DecoderFuzzTestsHelpers.Chunks(data);
        var (offset, length) = chunks[random.Next(chunks.Count)];
        if (length == 0)
        {
            return data;
        }

        int changes = 1 + random.Next(3);
        for (int k = 0; k < changes; k++)
        {
            int at = offset + 8 + random.Next(length);
            data[at] = random.Next(3) == 0 ? (byte)(data[at] ^ (1 << random.Next(8))) : (byte)random.Next(256);
        }

        return data;
    }

    private static byte[] FixCrcs(byte[] data)
    {
        foreach (var (offset, length) in DecoderFuzzTestsHelpers.Chunks(data))
        {
            uint crc = PngBytes.Crc(data.AsSpan(offset + 4, 4 + length));
            BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(offset + 8 + length), crc);
        }

        return data;
    }
}
