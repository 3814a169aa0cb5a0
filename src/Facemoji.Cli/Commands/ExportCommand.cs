using System.CommandLine;
using Facemoji.Engine.Onnx;

namespace Facemoji.Cli.Commands;

/// <summary>
/// <c>facemoji export MODEL.fmj -o model.onnx</c>: a model file as a standard ONNX graph (opset 13, dynamic batch,
/// BatchNorm folded, class names and preprocessing in the metadata) for ONNX Runtime, onnxruntime-web and others.
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "The model file (.fmj) to export." };
        var output = new Option<string>("--output", "-o") { Description = "The ONNX file to write (e.g. model.onnx).", Required = true };
        var command = new Command("export", "Write a model file as an ONNX graph (opset 13, dynamic batch axis, labels and preprocessing in its metadata).");
        command.Arguments.Add(model);
        command.Options.Add(output);
        command.SetAction(parseResult =>
        {
            var summary = OnnxExporter.Export(parseResult.GetValue(model)!, parseResult.GetValue(output)!);
            Console.Out.WriteLine($"wrote {summary.Path} ({summary.Bytes / 1024.0:F0} KiB): {summary.Architecture}, input (batch,{summary.Channels},{summary.Height},{summary.Width}) '{OnnxExporter.InputName}', outputs '{OnnxExporter.LogitsName}' and '{OnnxExporter.ProbabilitiesName}' over {string.Join(", ", summary.Labels)}");
            return 0;
        });
        return command;
    }
}
