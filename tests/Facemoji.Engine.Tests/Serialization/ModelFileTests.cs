using System.Buffers.Binary;
using System.Text;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Serialization;
using Facemoji.Engine.Tests.Optim;

namespace Facemoji.Engine.Tests.Serialization;

public sealed class ModelFileTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void RoundTripKeepsHeaderAndEveryBit()
    {
        var model = SampleFiles.TrainedModel(3);
        string path = folder.Combine("model.fmj");
        ModelFile.Save(path, model, SampleFiles.Header());

        var loaded = ModelFile.Read(path);
        var header = loaded.Header;
        var expected = SampleFiles.Header();
        header.Architecture.Should().Be(expected.Architecture);
        header.ArchitectureOptions.Should().Equal(expected.ArchitectureOptions);
        header.Labels.Should().Equal(expected.Labels);
        header.Preprocessing.Should().BeEquivalentTo(expected.Preprocessing);
        header.Metrics.Should().Equal(expected.Metrics, "doubles must round-trip exactly (0.1 + 0.2 included)");
        header.CreatedUtc.Should().Be(expected.CreatedUtc);
        header.TrainingInfo.Should().Equal(expected.TrainingInfo);
        loaded.FormatVersion.Should().Be(ModelFile.CurrentFormatVersion);
        loaded.Tensors.Select(t => t.Name).Should().Equal("weight", "bias", "running_mean");

        var fresh = new TinyRegression(5, 3, new SeededRandom(12345));
        loaded.LoadInto(fresh);
        foreach (var ((name, a), (_, b)) in model.NamedParameters().Zip(fresh.NamedParameters()))
        {
            b.Value.Span.ToArray().Should().Equal(a.Value.Span.ToArray(), name);
        }

        fresh.NamedBuffers().Single().Value.Span.ToArray().Should().Equal(model.NamedBuffers().Single().Value.Span.ToArray());
        fresh.NamedBuffers().Single().Value.Span.ToArray().Should().Contain(v => v != 0, "the buffer was trained, so the test can tell");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void LoadingRefusesNonFiniteWeightsWithAClearError(float bad)
    {
        // Issue 14: a model with NaN weights and a valid checksum gave "internal error" at the first image.
        string path = folder.Combine($"diverged-{bad}.fmj");
        var model = SampleFiles.TrainedModel(3);
        model.NamedParameters().First().Parameter.Value.Span[1] = bad;
        ModelFile.Save(path, model, SampleFiles.Header());

        var load = () => ModelFile.Read(path).LoadInto(new TinyRegression(5, 3, new SeededRandom(1)));
        load.Should().Throw<ModelFileException>().Which.Message.Should().Contain(path).And.Contain("not a finite number").And.Contain("[1]");
    }

    [Fact]
    public void SaveReplacesAnExistingFileAndLeavesNoTemporaryFiles()
    {
        string path = folder.Combine("model.fmj");
        File.WriteAllText(path, "old");
        ModelFile.Save(path, SampleFiles.TrainedModel(1), SampleFiles.Header());
        ModelFile.Save(path, SampleFiles.TrainedModel(2), SampleFiles.Header());
        Directory.GetFiles(folder.Path).Should().Equal(path);
        ModelFile.Read(path).Tensors.Should().HaveCount(3);
    }

    [Fact]
    public void SaveRejectsAnInvalidHeaderAndWritesNothing()
    {
        string path = folder.Combine("bad.fmj");
        var header = SampleFiles.Header() with { Labels = [] };
        FluentActions.Invoking(() => ModelFile.Save(path, SampleFiles.TrainedModel(1), header))
            .Should().Throw<ModelFileException>().WithMessage($"{path}*no labels*");
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public void SaveOverADeviceIsRefused()
    {
        string link = folder.Combine("null.fmj");
        File.CreateSymbolicLink(link, "/dev/null");
        FluentActions.Invoking(() => ModelFile.Save(link, SampleFiles.TrainedModel(1), SampleFiles.Header()))
            .Should().Throw<ModelFileException>().WithMessage($"{link}: is not a regular file (a FIFO, device or socket)*");
        new FileInfo(link).LinkTarget.Should().Be("/dev/null");
    }

    [Fact]
    public void SaveIntoAMissingFolderIsAClearError()
    {
        string path = Path.Combine(folder.Path, "no-such-folder", "m.fmj");
        FluentActions.Invoking(() => ModelFile.Save(path, SampleFiles.TrainedModel(1), SampleFiles.Header()))
            .Should().Throw<ModelFileException>().WithMessage($"{path}: cannot be written*");
    }

    [Fact]
    public void UnusablePathsAreClearErrors()
    {
        FluentActions.Invoking(() => ModelFile.Read("")).Should().Throw<ModelFileException>().WithMessage("*cannot be read*");
        FluentActions.Invoking(() => ModelFile.Read(folder.Path)).Should().Throw<ModelFileException>().WithMessage($"{folder.Path}: *");
        // A device reports length 0: refused before it is opened (reading it would fill memory until the array limit).
        FluentActions.Invoking(() => ModelFile.Read("/dev/zero")).Should().Throw<ModelFileException>()
            .WithMessage("/dev/zero: is not a regular file (a FIFO, device or socket).");
        FluentActions.Invoking(() => ModelFile.Save("", SampleFiles.TrainedModel(1), SampleFiles.Header())).Should().Throw<ModelFileException>();
    }

    [Fact]
    public void ReadingWithTheChecksumHashesTheBytesItParsed()
    {
        string path = folder.Combine("model.fmj");
        ModelFile.Save(path, SampleFiles.TrainedModel(3), SampleFiles.Header());

        var (file, sha256) = ModelFile.ReadWithSha256(path);

        sha256.Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))));
        var plain = ModelFile.Read(path);
        file.Header.Should().BeEquivalentTo(plain.Header);
        foreach (var (a, b) in file.Tensors.Zip(plain.Tensors))
        {
            a.Value.Span.ToArray().Should().Equal(b.Value.Span.ToArray(), a.Name);
        }

        var missing = () => ModelFile.ReadWithSha256(folder.Combine("none.fmj"));
        missing.Should().Throw<ModelFileException>().WithMessage("*none.fmj*does not exist*");
    }

    [Fact]
    public void MissingFile() =>
        ExpectError(folder.Combine("absent.fmj"), "*absent.fmj: does not exist*");

    [Fact]
    public void ForeignFileIsNamedAsSuch()
    {
        string path = folder.Combine("photo.png");
        File.WriteAllBytes(path, [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0, 0, 13, 1, 2, 3, 4, 5, 6, 7, 8]);
        ExpectError(path, "*photo.png: is not a model file*FACEMOJI*");
        File.WriteAllBytes(path, []);
        ExpectError(path, "*photo.png: is not a model file*");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void EveryTruncationIsReported()
    {
        byte[] bytes = SavedBytes();
        string path = folder.Combine("cut.fmj");
        for (int length = 8; length < bytes.Length; length++)
        {
            File.WriteAllBytes(path, bytes[..length]);
            ExpectError(path, "*cut.fmj: is truncated*");
        }
    }

    [Fact]
    public void FlippedDataBitFailsTheChecksum()
    {
        byte[] bytes = SavedBytes();
        bytes[^40] ^= 0x10; // inside the last tensor's data
        string path = Write("flipped.fmj", bytes);
        ExpectError(path, "*flipped.fmj: is corrupted*checksum*");
    }

    [Fact]
    public void NewerFormatVersionAsksForAnUpdate()
    {
        string path = Write("future.fmj", SampleFiles.Rehash(SampleFiles.WithUInt32(SavedBytes(), 8, ModelFile.CurrentFormatVersion + 1)));
        ExpectError(path, "*future.fmj: was written by a newer Facemoji (format version 2)*");
    }

    [Fact]
    public void AbsurdHeaderLengthIsRejectedWithoutAllocating()
    {
        string path = Write("huge.fmj", SampleFiles.Rehash(SampleFiles.WithUInt32(SavedBytes(), 16, 0xFFFF_FFF0)));
        ExpectError(path, "*huge.fmj: is malformed: the header length is 4294967280, more than*");
    }

    [Fact]
    public void AbsurdShapeIsRejectedWithoutAllocating()
    {
        byte[] bytes = SavedBytes();
        int headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16));
        int firstTensor = 20 + headerLength + 4;
        int nameLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(firstTensor));
        int firstDim = firstTensor + 4 + nameLength + 4;
        string path = Write("shape.fmj", SampleFiles.Rehash(SampleFiles.WithUInt32(bytes, firstDim, 2_000_000_000)));
        ExpectError(path, "*shape.fmj: is malformed: the data of tensor 'weight'*needs*bytes*");
    }

    [Fact]
    public void BrokenHeaderJsonIsMalformed()
    {
        byte[] bytes = SavedBytes();
        int at = Encoding.ASCII.GetString(bytes).IndexOf("\"labels\"", StringComparison.Ordinal);
        bytes[at] = (byte)'{';
        ExpectError(Write("json.fmj", SampleFiles.Rehash(bytes)), "*json.fmj: is malformed: its header is not valid model JSON*");
    }

    [Fact]
    public void HeaderThatBreaksTheRulesIsMalformed()
    {
        byte[] bytes = SavedBytes();
        int at = Encoding.ASCII.GetString(bytes).IndexOf("\"channels\": 1", StringComparison.Ordinal);
        bytes[at + "\"channels\": ".Length] = (byte)'7';
        ExpectError(Write("rules.fmj", SampleFiles.Rehash(bytes)), "*rules.fmj: is malformed: the input has 7 channels*");
    }

    [Fact]
    public void TrailingBytesAreMalformed()
    {
        byte[] bytes = SavedBytes();
        byte[] longer = [.. bytes[..^32], 1, 2, 3, .. bytes[^32..]];
        ExpectError(Write("tail.fmj", SampleFiles.Rehash(longer)), "*tail.fmj: is malformed: 3 unexpected bytes follow the last tensor*");
    }

    [Fact]
    public void LoadIntoADifferentNetworkNamesTheFirstMismatch()
    {
        string path = folder.Combine("model.fmj");
        ModelFile.Save(path, SampleFiles.TrainedModel(3), SampleFiles.Header());
        var loaded = ModelFile.Read(path);

        var wider = new TinyRegression(6, 3, new SeededRandom(1));
        float before = wider.Weight.Value.Data[0];
        FluentActions.Invoking(() => loaded.LoadInto(wider)).Should().Throw<ModelFileException>()
            .WithMessage("*model.fmj: does not fit*'weight' is [3, 5] in the file, but [3, 6] in the 'tiny-regression' network (1 more mismatches)*");
        wider.Weight.Value.Data[0].Should().Be(before, "nothing is copied when anything mismatches");
    }

    [Fact]
    public void LoadIntoNamesMissingAndExtraTensors()
    {
        string path = folder.Combine("model.fmj");
        ModelFile.Save(path, new TwoTensorModule(), SampleFiles.Header());
        FluentActions.Invoking(() => ModelFile.Read(path).LoadInto(new TinyRegression(5, 3, new SeededRandom(1))))
            .Should().Throw<ModelFileException>().WithMessage("*has 'weight' [3, 5], which the file lacks*");
    }

    private sealed class TwoTensorModule : Engine.Modules.Module
    {
        private readonly Engine.Modules.Parameter other = new("other", new Engine.Tensors.Tensor(2));

        public override Engine.Tensors.Tensor Forward(Engine.Tensors.Tensor input) => input;

        public override Engine.Tensors.Tensor Backward(Engine.Tensors.Tensor gradOutput) => gradOutput;

        protected override IEnumerable<Engine.Modules.Parameter> OwnParameters() => [other];
    }

    private byte[] SavedBytes()
    {
        string path = folder.Combine("source-" + Guid.NewGuid().ToString("N") + ".fmj");
        ModelFile.Save(path, SampleFiles.TrainedModel(3), SampleFiles.Header());
        byte[] bytes = File.ReadAllBytes(path);
        File.Delete(path);
        return bytes;
    }

    private string Write(string name, byte[] bytes)
    {
        string path = folder.Combine(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void ExpectError(string path, string pattern) =>
        FluentActions.Invoking(() => ModelFile.Read(path)).Should().Throw<ModelFileException>().WithMessage(pattern);
}
