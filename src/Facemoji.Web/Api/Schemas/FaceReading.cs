using System.ComponentModel;

namespace Facemoji.Web.Api.Schemas;

/// <summary>One face of <see cref="ImageAnalysis"/>.</summary>
[Description("One face: where it is, the expression read, the emoji, the seven probabilities.")]
internal sealed record FaceReading(
    [property: Description("x, y, width, height in image pixels.")] IReadOnlyList<int> Box,
    [property: Description("angry, disgust, fear, happy, sad, surprise or neutral.")] string Emotion,
    double Confidence,
    [property: Description("mild, clear or strong.")] string Intensity,
    string Emoji,
    [property: Description("Each emotion's probability.")] IReadOnlyDictionary<string, double> Probabilities,
    [property: Description("The head's roll in degrees (BlazeFace detectors only).")] double? Roll = null,
    [property: Description("Six landmarks by name, each [x, y] in image pixels (BlazeFace detectors only).")] IReadOnlyDictionary<string, IReadOnlyList<double>>? Landmarks = null);
