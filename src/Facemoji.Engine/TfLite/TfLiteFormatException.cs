namespace Facemoji.Engine.TfLite;

/// <summary>The reason a file is not a TFLite model we can read; <see cref="TfLiteModel.Load"/> names the file.</summary>
internal sealed class TfLiteFormatException(string message) : Exception(message);
