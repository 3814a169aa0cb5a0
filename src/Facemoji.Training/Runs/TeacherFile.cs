namespace Facemoji.Training.Runs;

/// <summary>A teacher model file as a run used it: its path and the SHA-256 of its bytes (lower-case hex), so that --resume refuses a changed teacher.</summary>
internal sealed record TeacherFile(string Path, string Sha256)
{
    public override string ToString() => $"{Path} (sha256 {Sha256})";
}
