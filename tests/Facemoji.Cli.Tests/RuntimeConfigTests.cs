using System.Text.Json;

namespace Facemoji.Cli.Tests;

/// <summary>
/// The GC settings the built facemoji runs with (src/Facemoji.Cli/runtimeconfig.template.json, docs/BENCHMARKS.md
/// says why): the test output holds the program's own facemoji.runtimeconfig.json, which `dotnet exec` reads.
/// </summary>
public sealed class RuntimeConfigTests
{
    [Fact]
    public void EncodedImagesUpTo256KiBAreSmallObjects()
    {
        // The sample photo's quality-90 JPEG is about 86 KB: over the runtime's default of 85,000 bytes it went to the
        // large-object heap and page-faulted fresh pages on each encode; a 512x512 gray image (256 KiB + header) stays there.
        string path = Path.Combine(AppContext.BaseDirectory, "facemoji.runtimeconfig.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        int threshold = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").GetProperty("System.GC.LOHThreshold").GetInt32();
        Assert.Equal(256 * 1024, threshold);
    }
}
