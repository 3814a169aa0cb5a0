namespace Facemoji.Engine.Tests.Support;

/// <summary>MediaPipe's BlazeFace models, unpacked into third_party/mediapipe/ by tools/setup.sh (CI runs it first).</summary>
public static class MediaPipeModels
{
    public const string ShortRange = "face_detection_short_range.tflite";
    public const string FullRange = "face_detection_full_range.tflite";

    public static string PathOf(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Facemoji.sln")))
            {
                string path = Path.Combine(dir.FullName, "third_party", "mediapipe", name);
                return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: run tools/setup.sh first.", path);
            }
        }

        throw new InvalidOperationException($"No Facemoji.sln above {AppContext.BaseDirectory}.");
    }
}
