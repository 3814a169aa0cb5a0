using Facemoji.Engine.Serialization;

namespace Facemoji.Engine.Tests.Serialization;

/// <summary>The calibration temperature in the model header: round trip, files without one, bad values, rewriting a file's header.</summary>
public sealed class ModelFileTemperatureTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void TemperatureRoundTripsExactly()
    {
        string path = folder.Combine("model.fmj");
        ModelFile.Save(path, SampleFiles.TrainedModel(3), SampleFiles.Header() with { Temperature = 1.2345678901234567 });

        var header = ModelFile.Read(path).Header;
        header.Temperature.Should().Be(1.2345678901234567);
        header.SoftmaxTemperature.Should().Be(1.2345678901234567);
    }

    [Fact]
    public void AFileWrittenWithoutATemperatureReadsWithTemperatureOne()
    {
        // A header as files were written before calibration existed: no "temperature" key at all.
        string json = ModelFile.SerializeHeader(SampleFiles.Header());
        json.Should().Contain("\"temperature\": null");
        json = json.Replace("\"temperature\": null,", string.Empty, StringComparison.Ordinal);
        json.Should().NotContain("temperature");
        string path = folder.Combine("old.fmj");
        ContainerFile.Write(path, ContainerKind.Model, json, ModelFile.StateTensors(SampleFiles.TrainedModel(1)));

        var header = ModelFile.Read(path).Header;
        header.Temperature.Should().BeNull();
        header.SoftmaxTemperature.Should().Be(1);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(25.0)]
    public void AnUnusableTemperatureIsRefusedOnSaveAndOnRead(double temperature)
    {
        string path = folder.Combine("bad.fmj");
        var save = () => ModelFile.Save(path, SampleFiles.TrainedModel(1), SampleFiles.Header() with { Temperature = temperature });
        save.Should().Throw<ModelFileException>().WithMessage("*temperature*");
        File.Exists(path).Should().BeFalse();

        string json = ModelFile.SerializeHeader(SampleFiles.Header() with { Temperature = 2 })
            .Replace("\"temperature\": 2", $"\"temperature\": {(double.IsFinite(temperature) ? temperature.ToString(System.Globalization.CultureInfo.InvariantCulture) : "\"" + temperature + "\"")}", StringComparison.Ordinal);
        ContainerFile.Write(path, ContainerKind.Model, json, ModelFile.StateTensors(SampleFiles.TrainedModel(1)));
        var read = () => ModelFile.Read(path);
        read.Should().Throw<ModelFileException>().WithMessage($"{path}: is malformed*temperature*");
    }

    [Fact]
    public void SaveWithHeaderKeepsEveryTensorBitAndChangesOnlyTheHeader()
    {
        string path = folder.Combine("model.fmj"), calibrated = folder.Combine("calibrated.fmj");
        ModelFile.Save(path, SampleFiles.TrainedModel(4), SampleFiles.Header());
        var original = ModelFile.Read(path);

        ModelFile.SaveWithHeader(calibrated, original, original.Header with { Temperature = 1.5 });

        var reread = ModelFile.Read(calibrated);
        reread.Header.Temperature.Should().Be(1.5);
        reread.Header.Metrics.Should().Equal(original.Header.Metrics);
        reread.Tensors.Select(t => t.Name).Should().Equal(original.Tensors.Select(t => t.Name));
        foreach (var (a, b) in original.Tensors.Zip(reread.Tensors))
        {
            b.Value.Span.ToArray().Should().Equal(a.Value.Span.ToArray(), a.Name);
        }

        var invalid = () => ModelFile.SaveWithHeader(folder.Combine("x.fmj"), original, original.Header with { Temperature = 0 });
        invalid.Should().Throw<ModelFileException>();
        File.Exists(folder.Combine("x.fmj")).Should().BeFalse();
    }
}
