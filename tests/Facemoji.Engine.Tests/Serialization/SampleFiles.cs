using System.Buffers.Binary;
using System.Security.Cryptography;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Serialization;
using Facemoji.Engine.Tests.Optim;

namespace Facemoji.Engine.Tests.Serialization;

/// <summary>Headers, trained tiny models and byte-level surgery on saved files for the serialization tests.</summary>
public static class SampleFiles
{
    public static ModelHeader Header() => new()
    {
        Architecture = "tiny-regression",
        ArchitectureOptions = new Dictionary<string, string> { ["inputs"] = "5", ["outputs"] = "3" },
        Labels = ["angry", "happy", "neutral"],
        Preprocessing = new PreprocessingSettings
        {
            Width = 48,
            Height = 48,
            Channels = 1,
            Mean = [0.5f],
            Std = [0.25f],
            CropPolicy = "face-box-1.1",
        },
        Metrics = new Dictionary<string, double> { ["test_accuracy"] = 0.6875, ["macro_f1"] = 0.1 + 0.2 },
        CreatedUtc = new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero),
        TrainingInfo = new Dictionary<string, string> { ["dataset"] = "synthetic", ["note"] = "ünïcödé ✓" },
    };

    /// <summary>A TinyRegression with non-trivial weights and running means (a few training steps).</summary>
    public static TinyRegression TrainedModel(ulong seed)
    {
        var model = new TinyRegression(5, 3, new SeededRandom(seed));
        var optimizer = new Facemoji.Engine.Optim.AdamW(model.Parameters(), 1e-2);
        var data = new SeededRandom(seed + 1);
        for (int i = 0; i < 3; i++)
        {
            TinyTraining.Step(model, optimizer, data, 1e-2);
        }

        return model;
    }

    /// <summary>Recomputes the trailing SHA-256, so that an edit reaches the parser instead of the checksum test.</summary>
    public static byte[] Rehash(byte[] bytes)
    {
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).CopyTo(bytes, bytes.Length - 32);
        return bytes;
    }

    public static byte[] WithUInt32(byte[] bytes, int offset, uint value)
    {
        var copy = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }
}
