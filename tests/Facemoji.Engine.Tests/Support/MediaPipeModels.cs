namespace Facemoji.Engine.Tests.Support;

/// <summary>MediaPipe's BlazeFace models, unpacked into third_party/mediapipe/ by tools/setup.sh (CI runs it first).</summary>
public static class MediaPipeModels
{
    public const string ShortRange = "face_detection_short_range.tflite";
    public const string FullRange = "face_detection_full_range.tflite";

    public static string PathOf(string name) => RepositoryFiles.ThirdParty("mediapipe", name);
}
