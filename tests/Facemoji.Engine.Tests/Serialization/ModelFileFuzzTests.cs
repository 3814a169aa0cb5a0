using System.Buffers.Binary;
using Facemoji.Engine.Optim;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Serialization;
using Facemoji.Engine.Tests.Optim;
using Xunit.Abstractions;

namespace Facemoji.Engine.Tests.Serialization;

/// <summary>
/// Random damage to saved files (seeded, so a failure reproduces): truncations, bit flips, overwritten words and
/// cut-out ranges, half of them with the checksum recomputed so that the damage reaches the parser. Every
/// outcome must be a clean load or a <see cref="ModelFileException"/>: never another exception, a crash or a hang.
/// </summary>
public sealed class ModelFileFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Iterations = 1500;
    private static readonly uint[] InterestingWords = [0, 1, 2, 3, 8, 9, 255, 1024, 1025, 65536, 65537, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF_FFFE];
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact(Timeout = 120_000)]
    [Trait("Category", "Slow")]
    public async Task DamagedModelFilesNeverEscapeAsAnythingButModelFileException() =>
        await Task.Run(() => Fuzz(isCheckpoint: false, seed: 20261122));

    [Fact(Timeout = 120_000)]
    [Trait("Category", "Slow")]
    public async Task DamagedCheckpointsNeverEscapeAsAnythingButModelFileException() =>
        await Task.Run(() => Fuzz(isCheckpoint: true, seed: 7));

    private void Fuzz(bool isCheckpoint, ulong seed)
    {
        var model = SampleFiles.TrainedModel(5);
        string source = folder.Combine("source");
        if (isCheckpoint)
        {
            TrainingCheckpoint.Save(source, model, SampleFiles.Header(), new AdamW(model.Parameters()), new TrainingProgress { Epoch = 1, Step = 3 });
        }
        else
        {
            ModelFile.Save(source, model, SampleFiles.Header());
        }

        byte[] original = File.ReadAllBytes(source);
        var random = new SeededRandom(seed);
        string path = folder.Combine("fuzzed");
        int loaded = 0;
        var rejected = new Dictionary<string, int>();
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            var (bytes, description) = Mutate(original, random);
            File.WriteAllBytes(path, bytes);
            try
            {
                if (isCheckpoint)
                {
                    var checkpoint = TrainingCheckpoint.Load(path);
                    var target = new TinyRegression(5, 3, new SeededRandom(1));
                    checkpoint.Restore(target, new AdamW(target.Parameters()));
                }
                else
                {
                    ModelFile.Read(path).LoadInto(new TinyRegression(5, 3, new SeededRandom(1)));
                }

                loaded++;
            }
            catch (ModelFileException e)
            {
                e.Message.Should().StartWith(path + ": ", "the message names the file");
                string kind = e.Message[(path.Length + 2)..].Split(':', '(')[0].Trim();
                rejected[kind] = rejected.GetValueOrDefault(kind) + 1;
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"Iteration {iteration} ({description}) escaped as {e.GetType().Name}: {e}");
            }
        }

        output.WriteLine($"{Iterations} damaged {(isCheckpoint ? "checkpoints" : "model files")} of {original.Length} bytes: {loaded} still loaded (the damage left a valid file, e.g. changed float data with the checksum recomputed), rejected as:");
        foreach (var (kind, count) in rejected.OrderByDescending(r => r.Value))
        {
            output.WriteLine($"  {count,5}  {kind}");
        }

        rejected.Values.Sum().Should().BeGreaterThan(Iterations / 2);
    }

    private static (byte[] Bytes, string Description) Mutate(byte[] original, SeededRandom random)
    {
        byte[] bytes;
        string description;
        switch (random.NextInt(4))
        {
            case 0:
                int length = random.NextInt(original.Length);
                bytes = original[..length];
                description = $"truncated to {length}";
                break;
            case 1:
                bytes = (byte[])original.Clone();
                int flips = 1 + random.NextInt(4);
                description = $"{flips} bit flips";
                for (int f = 0; f < flips; f++)
                {
                    int at = random.NextInt(bytes.Length);
                    bytes[at] ^= (byte)(1 << random.NextInt(8));
                    description += $" @{at}";
                }

                break;
            case 2:
                bytes = (byte[])original.Clone();
                int offset = random.NextInt(bytes.Length - 4);
                uint word = random.NextBool() ? InterestingWords[random.NextInt(InterestingWords.Length)] : (uint)random.NextUInt64();
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), word);
                description = $"word {word} @{offset}";
                break;
            default:
                int start = random.NextInt(original.Length);
                int count = 1 + random.NextInt(Math.Min(64, original.Length - start));
                bytes = [.. original[..start], .. original[(start + count)..]];
                description = $"cut {count} bytes @{start}";
                break;
        }

        if (bytes.Length >= 48 && random.NextBool())
        {
            SampleFiles.Rehash(bytes);
            description += ", rehashed";
        }

        return (bytes, description);
    }
}
