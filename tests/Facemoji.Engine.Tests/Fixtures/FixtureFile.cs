using System.Text;

namespace Facemoji.Engine.Tests.Fixtures;

/// <summary>
/// Reads a fixture written by tools/fixture_io.py: named float64 arrays with shapes, saved from PyTorch.
/// CI only reads these committed files; `make fixtures` regenerates them with Debian's python3-torch.
/// </summary>
public sealed class FixtureFile
{
    private readonly Dictionary<string, (int[] Shape, double[] Values)> entries = new(StringComparer.Ordinal);

    private FixtureFile()
    {
    }

    /// <summary>The folder of committed fixtures, copied next to the test assembly.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static FixtureFile Load(string name)
    {
        string path = Path.Combine(Directory, name);
        using var reader = new BinaryReader(File.OpenRead(path));
        if (Encoding.ASCII.GetString(reader.ReadBytes(8)) != "FMJFIX1\0")
        {
            throw new InvalidDataException($"{path} is not a fixture file.");
        }

        var fixture = new FixtureFile();
        int count = reader.ReadInt32();
        for (int e = 0; e < count; e++)
        {
            string entryName = Encoding.UTF8.GetString(reader.ReadBytes(reader.ReadInt32()));
            int[] shape = new int[reader.ReadInt32()];
            for (int d = 0; d < shape.Length; d++)
            {
                shape[d] = reader.ReadInt32();
            }

            double[] values = new double[shape.Aggregate(1, (a, b) => a * b)];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = reader.ReadDouble();
            }

            fixture.entries[entryName] = (shape, values);
        }

        return fixture;
    }

    public IEnumerable<string> Names => entries.Keys;

    public bool Contains(string name) => entries.ContainsKey(name);

    public int[] Shape(string name) => Get(name).Shape;

    public double[] Values(string name) => Get(name).Values;

    public float[] Floats(string name) => Array.ConvertAll(Get(name).Values, v => (float)v);

    private (int[] Shape, double[] Values) Get(string name) =>
        entries.TryGetValue(name, out var entry)
            ? entry
            : throw new KeyNotFoundException($"Fixture has no entry '{name}'; it has: {string.Join(", ", entries.Keys)}.");
}
