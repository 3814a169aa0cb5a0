using Facemoji.Engine;

namespace Facemoji.Vision.Detection.BlazeFace;

/// <summary>
/// One of MediaPipe's two BlazeFace models with the settings MediaPipe's own graphs give it
/// (face_detection_short_range.pbtxt, face_detection_full_range.pbtxt): input size, SSD anchor options, score
/// threshold and the suppression overlap. The .tflite files come from the npm package @mediapipe/face_detection,
/// unpacked into third_party/mediapipe/ by tools/setup.sh (make build copies them beside the program).
/// </summary>
/// <para>
/// <see cref="FerFrameScale"/> and <see cref="FerFrameOffsetY"/> say how a FER2013 image frames the face this
/// model finds: the 48x48 frame is <see cref="FerFrameScale"/> times the box's side, its centre
/// <see cref="FerFrameOffsetY"/> box sides below the box centre (negative: above), along the face's own axes.
/// Measured with <c>facemoji bench framing</c> on every third FER2013 PublicTest image (docs/PIPELINE.md).
/// </para>
public sealed record BlazeFaceModel(
    string Name, string FileName, int InputSize, int[] Strides, double InterpolatedScaleAspectRatio, double MinScoreThreshold,
    double FerFrameScale, double FerFrameOffsetY)
{
    public const string EnvironmentVariable = "FACEMOJI_MEDIAPIPE";

    /// <summary>Selfie distance, 128x128 input, 896 anchors (16x16x2 and 8x8x6).</summary>
    public static BlazeFaceModel ShortRange { get; } = new("blazeface", "face_detection_short_range.tflite", 128, [8, 16, 16, 16], 1.0, 0.5, 1.153, -0.077);

    /// <summary>Faces up to about 5 m, 192x192 input, 2304 anchors (48x48x1).</summary>
    public static BlazeFaceModel FullRange { get; } = new("blazeface-full", "face_detection_full_range.tflite", 192, [4], 0.0, 0.6, 1.136, -0.032);

    /// <summary>Whether this is the full-range model (small faces, far from the camera).</summary>
    public bool IsFullRange => Strides.Length == 1;

    /// <summary>Boxes overlapping more than this (IoU) are merged by the weighted suppression.</summary>
    public double MinSuppressionThreshold => 0.3;

    /// <summary>
    /// The model file: $FACEMOJI_MEDIAPIPE/FileName, else models/FileName beside the program, else
    /// third_party/mediapipe/FileName in the program's folder or any above it, or the current folder or any above it.
    /// </summary>
    public string Locate()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } folder)
        {
            candidates.Add(Path.Combine(folder, FileName));
        }

        candidates.Add(Path.Combine(AppContext.BaseDirectory, "models", FileName));
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                candidates.Add(Path.Combine(dir.FullName, "third_party", "mediapipe", FileName));
            }
        }

        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FacemojiException(
                $"The {Name} detector's model {FileName} is not installed (looked in models/ beside the program and third_party/mediapipe/ above it). " +
                $"Run tools/setup.sh (it fetches MediaPipe's @mediapipe/face_detection with npm pack), or set {EnvironmentVariable} to a folder holding it.");
    }
}
