namespace Facemoji.Pipeline.Annotation;

/// <summary>
/// One photo of <c>facemoji image</c>: the faces found (null when the photo failed), the error that names the file
/// and the problem, the annotated copy written (null when none was), and the photo's line of <see cref="AnalysisJson"/>.
/// </summary>
public sealed record ImageResult(string File, IReadOnlyList<FaceAnalysis>? Faces, string? Error, string? Written, string Json)
{
    public bool Failed => Error is not null;
}
