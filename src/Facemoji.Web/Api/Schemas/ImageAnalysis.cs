using System.ComponentModel;

namespace Facemoji.Web.Api.Schemas;

/// <summary>
/// The answer of POST /api/analyze, as <see cref="Pipeline.AnalysisJson"/> writes it (the same line as
/// <c>facemoji image --json</c>); a test checks a real answer against this shape.
/// </summary>
[Description("The faces found in an image, the same JSON as `facemoji image --json`.")]
internal sealed record ImageAnalysis(string File, int Width, int Height, IReadOnlyList<FaceReading> Faces);
