namespace Facemoji.Engine.Onnx;

/// <summary>What <see cref="OnnxExporter.Export"/> wrote: the file, its size, the network, its class names and its input (batch,Channels,Height,Width).</summary>
public sealed record OnnxExportSummary(string Path, long Bytes, string Architecture, IReadOnlyList<string> Labels, int Channels, int Height, int Width);
