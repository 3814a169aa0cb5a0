using System.Collections.Concurrent;
using Facemoji.Engine;
using Facemoji.Vision.Cascades;
using Facemoji.Vision.Detection;
using Facemoji.Vision.Detection.BlazeFace;

namespace Facemoji.Pipeline;

/// <summary>
/// The face detectors by name, as <c>--detector</c> and <see cref="AnalyzerOptions.Detector"/> give them:
/// blazeface (MediaPipe's short-range model, the default), blazeface-full (its full-range model), haar (OpenCV's
/// frontalface_default, or the <c>--cascade</c> file) and lbp (OpenCV's lbpcascade_frontalface_improved); the cascades
/// beside the program when it carries them (<see cref="CascadeFiles"/>), else Debian's.
/// Cascades and models are read once per process; each call returns a new detector (one per thread).
/// </summary>
public static class FaceDetectors
{
    public const string BlazeFace = "blazeface";
    public const string BlazeFaceFull = "blazeface-full";
    public const string Haar = "haar";
    public const string Lbp = "lbp";
    public const string LbpPath = "/usr/share/opencv4/lbpcascades/lbpcascade_frontalface_improved.xml";

    /// <summary>The detector used when none is named.</summary>
    public const string Default = BlazeFace;

    public static IReadOnlyList<string> Names { get; } = [BlazeFace, BlazeFaceFull, Haar, Lbp];

    private static readonly ConcurrentDictionary<string, Lazy<CascadeClassifier>> Cascades = new(StringComparer.Ordinal);

    /// <summary>
    /// A detector; <paramref name="cascadePath"/> replaces the cascade of haar (or lbp). With no name, a cascade file
    /// means haar (as before blazeface became the default), else <see cref="Default"/>. <paramref name="minFaceScore"/>
    /// sets BlazeFace's score threshold (null: its own); <paramref name="thorough"/> makes its photo search run every
    /// stage (<see cref="AnalyzerOptions.Thorough"/>).
    /// </summary>
    public static IFaceDetector Create(string? name, string? cascadePath, DetectionOptions detection, double? minFaceScore = null, bool thorough = false)
    {
        if (minFaceScore is { } score && !(score is >= 0 and <= 1))
        {
            throw new FacemojiException($"The minimum face score must be from 0 to 1, not {score}.");
        }

        string key = (name ?? (cascadePath is null ? Default : Haar)).Trim().ToLowerInvariant();
        if (cascadePath is not null && key is BlazeFace or BlazeFaceFull)
        {
            throw new FacemojiException($"The cascade {cascadePath} is for the haar or lbp detector, not {key}: add --detector haar (or lbp), or leave out the cascade.");
        }

        switch (key)
        {
            case BlazeFace:
                return Blaze(BlazeFaceModel.ShortRange);
            case BlazeFaceFull:
                return Blaze(BlazeFaceModel.FullRange);
            case Haar:
            case Lbp:
                string path = Path.GetFullPath(cascadePath ?? CascadeFiles.Locate(key == Lbp ? LbpPath : CascadeClassifier.DefaultPath));
                var cascade = Cascades.GetOrAdd(path, p => new Lazy<CascadeClassifier>(() => CascadeClassifier.Load(p)));
                try
                {
                    return new CascadeFaceDetector(key, new FaceDetector(cascade.Value), detection);
                }
                catch
                {
                    Cascades.TryRemove(path, out _);
                    throw;
                }

            default:
                throw new FacemojiException($"Unknown detector '{name}': use {string.Join(", ", Names)}.");
        }

        // The detector's own threshold unless one is given.
        BlazeFaceDetector Blaze(BlazeFaceModel model) => minFaceScore is { } score
            ? new BlazeFaceDetector(model) { MinScore = score, StopWhenFound = !thorough }
            : new BlazeFaceDetector(model) { StopWhenFound = !thorough };
    }
}
