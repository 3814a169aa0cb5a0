using Facemoji.Cli.Tests.Training;

namespace Facemoji.Cli.Tests.Commands;

/// <summary>`facemoji export` end to end, as a child process: the shipped model becomes an ONNX file; bad input leaves nothing.</summary>
public sealed class ExportCommandTests
{
    private static CliRun.Result Run(params string[] args) => CliRun.Run(Directory.GetCurrentDirectory(), null, args);

    private static string ShippedModel() => RepositoryFiles.PathOf("models", "facemoji.fmj");

    [Fact]
    [Trait("Category", "Slow")]
    public void ExportsTheShippedModelAndRefusesBadInputWithoutWritingAFile()
    {
        string folder = Path.Combine(Path.GetTempPath(), "facemoji-export-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string onnx = Path.Combine(folder, "facemoji.onnx");
            var (code, stdout, stderr) = Run("export", ShippedModel(), "-o", onnx);
            code.Should().Be(0, stderr);
            stdout.Should().Contain("bench-vgg8").And.Contain("happy");
            new FileInfo(onnx).Length.Should().BeGreaterThan(1_000_000);

            string notAModel = Path.Combine(folder, "notes.txt");
            File.WriteAllText(notAModel, "not a model");
            string target = Path.Combine(folder, "bad.onnx");
            (code, _, stderr) = Run("export", notAModel, "-o", target);
            code.Should().Be(1);
            stderr.Should().Contain("notes.txt").And.Contain("not a model file").And.NotContain("   at ");
            (code, _, stderr) = Run("export", ShippedModel(), "-o", Path.Combine(folder, "missing", "x.onnx"));
            code.Should().Be(1);
            stderr.Should().Contain("cannot be written").And.NotContain("   at ");
            Directory.GetFiles(folder).Select(Path.GetFileName).Should().BeEquivalentTo("facemoji.onnx", "notes.txt");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
