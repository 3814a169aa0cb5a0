using Facemoji.Engine.Tests.Support;
using Facemoji.Engine.TfLite;

namespace Facemoji.Engine.Tests.TfLite;

/// <summary>Reading MediaPipe's two BlazeFace models, and refusing files that are not TFLite models we can run.</summary>
public sealed class TfLiteModelTests
{
    [Fact]
    public void ReadsTheShortRangeModel()
    {
        var model = TfLiteModel.Load(MediaPipeModels.PathOf(MediaPipeModels.ShortRange));
        model.Tensors[model.Inputs.Single()].Shape.Should().Equal(1, 128, 128, 3);
        model.Outputs.Select(o => model.Tensors[o].Shape).Should().BeEquivalentTo(new[] { new[] { 1, 896, 16 }, new[] { 1, 896, 1 } }, o => o.WithStrictOrdering());
        model.Operators.Select(o => o.Kind).Distinct().Should().BeEquivalentTo(new[]
        {
            TfLiteOperatorKind.Dequantize, TfLiteOperatorKind.Conv2d, TfLiteOperatorKind.Relu, TfLiteOperatorKind.DepthwiseConv2d,
            TfLiteOperatorKind.Add, TfLiteOperatorKind.Pad, TfLiteOperatorKind.MaxPool2d, TfLiteOperatorKind.Reshape, TfLiteOperatorKind.Concatenation,
        });

        // Float16 weights are widened: the first convolution's kernel (24,5,5,3) is a float16 constant with finite values.
        var kernel = model.Tensors.First(t => t.Type == TfLiteTensorType.Float16 && t.Shape.SequenceEqual(new[] { 24, 5, 5, 3 }));
        kernel.Data.Should().NotBeNull();
        kernel.Data!.Should().OnlyContain(v => float.IsFinite(v)).And.Contain(v => v != 0);
    }

    [Fact]
    public void ReadsTheFullRangeModel()
    {
        var model = TfLiteModel.Load(MediaPipeModels.PathOf(MediaPipeModels.FullRange));
        model.Tensors[model.Inputs.Single()].Shape.Should().Equal(1, 192, 192, 3);
        model.Outputs.Select(o => model.Tensors[o].Shape[1]).Should().Equal(2304, 2304);
        model.Operators.Should().Contain(o => o.Kind == TfLiteOperatorKind.ResizeBilinear);
    }

    [Fact]
    public void RefusesAFileThatIsNotTfLite()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
        var act = () => TfLiteModel.Parse(png, "photo.tflite");
        act.Should().Throw<FacemojiException>().WithMessage("TFLite model photo.tflite is not valid: *file identifier*");
        act = () => TfLiteModel.Parse([1, 2, 3], "tiny.tflite");
        act.Should().Throw<FacemojiException>().WithMessage("*tiny.tflite*too short*");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void RefusesATruncatedOrCorruptModel()
    {
        byte[] bytes = File.ReadAllBytes(MediaPipeModels.PathOf(MediaPipeModels.ShortRange));
        foreach (int length in new[] { 8, 64, 1000, bytes.Length / 2, bytes.Length - 100 })
        {
            var act = () => TfLiteModel.Parse(bytes[..length], "cut.tflite");
            act.Should().Throw<FacemojiException>().WithMessage("TFLite model cut.tflite is not valid: *", $"the file cut to {length} bytes");
        }

        // Scribbled offsets anywhere in the first kilobyte: a clear error or a model, never another exception.
        var rng = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            byte[] corrupt = (byte[])bytes.Clone();
            int at = rng.Next(8, 1024);
            corrupt[at] ^= (byte)rng.Next(1, 256);
            try
            {
                _ = new TfLiteInterpreter(TfLiteModel.Parse(corrupt, "corrupt.tflite"));
            }
            catch (FacemojiException e)
            {
                e.Message.Should().Contain("corrupt.tflite");
            }
        }
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        var act = () => TfLiteModel.Load("/nonexistent/model.tflite");
        act.Should().Throw<FacemojiException>().WithMessage("TFLite model /nonexistent/model.tflite cannot be read: the file does not exist.");
    }

    [Fact]
    public void A_device_is_refused_before_it_is_read()
    {
        var act = () => TfLiteModel.Load("/dev/zero");
        act.Should().Throw<FacemojiException>().WithMessage("TFLite model /dev/zero cannot be read: the file is not a regular file*");
    }
}
