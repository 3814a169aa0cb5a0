using System.Text.Json;
using Facemoji.Emoji;
using Facemoji.Expressions;
using Facemoji.Imaging;
using Facemoji.Vision.Detection;

namespace Facemoji.Pipeline;

/// <summary>
/// The JSON of one analysed image, shared by <c>facemoji image --json</c> and <c>POST /api/analyze</c>:
/// <c>{"file", "width", "height", "faces": [{"box": [x, y, w, h], "emotion", "confidence", "intensity",
/// "emoji", "probabilities": {label: p}, "roll", "landmarks"}]}</c> (roll and landmarks from detectors that give them), or <c>{"file", "error"}</c> for an input that failed.
/// </summary>
public static class AnalysisJson
{
    public static void WriteImage(Utf8JsonWriter json, string file, int width, int height, IReadOnlyList<FaceAnalysis> faces)
    {
        json.WriteStartObject();
        json.WriteString("file", file);
        json.WriteNumber("width", width);
        json.WriteNumber("height", height);
        json.WriteStartArray("faces");
        foreach (var face in faces)
        {
            WriteFace(json, face);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void WriteError(Utf8JsonWriter json, string file, string error)
    {
        json.WriteStartObject();
        json.WriteString("file", file);
        json.WriteString("error", error);
        json.WriteEndObject();
    }

    public static void WriteFace(Utf8JsonWriter json, FaceAnalysis face)
    {
        json.WriteStartObject();
        WriteFaceFields(json, face.Box, face.Reading);
        WriteGeometry(json, face.Roll, face.Landmarks);
        json.WriteEndObject();
    }

    /// <summary>The fields of one face (box, emotion, confidence, intensity, emoji, probabilities) inside an object the caller opened.</summary>
    public static void WriteFaceFields(Utf8JsonWriter json, PixelRect box, ExpressionReading reading)
    {
        json.WriteStartArray("box");
        json.WriteNumberValue(box.X);
        json.WriteNumberValue(box.Y);
        json.WriteNumberValue(box.Width);
        json.WriteNumberValue(box.Height);
        json.WriteEndArray();
        json.WriteString("emotion", reading.Emotion.Name());
        json.WriteNumber("confidence", Math.Round(reading.Confidence, 4));
        json.WriteString("intensity", reading.Intensity.ToString().ToLowerInvariant());
        json.WriteString("emoji", UnicodeEmoji.For(reading));
        json.WriteStartObject("probabilities");
        for (int i = 0; i < EmotionNames.Count; i++)
        {
            json.WriteNumber(EmotionNames.Canonical[i], Math.Round(reading.Probabilities[i], 4));
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// A detector with landmarks adds <c>"roll"</c> (degrees, clockwise positive) and <c>"landmarks"</c>
    /// (<c>{"right_eye": [x, y], ...}</c>, pixels); faces without landmarks get neither.
    /// </summary>
    public static void WriteGeometry(Utf8JsonWriter json, double roll, IReadOnlyList<FacePoint> landmarks)
    {
        if (landmarks.Count != FaceLandmarks.Names.Count)
        {
            return;
        }

        json.WriteNumber("roll", Math.Round(roll, 1));
        json.WriteStartObject("landmarks");
        for (int i = 0; i < landmarks.Count; i++)
        {
            json.WriteStartArray(FaceLandmarks.Names[i]);
            json.WriteNumberValue(Math.Round(landmarks[i].X, 1));
            json.WriteNumberValue(Math.Round(landmarks[i].Y, 1));
            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    /// <summary>One line of JSON for an image, with emoji written as characters rather than \u escapes.</summary>
    public static string ImageLine(string file, int width, int height, IReadOnlyList<FaceAnalysis> faces) =>
        Line(json => WriteImage(json, file, width, height, faces));

    /// <summary>One line of JSON for an input that failed.</summary>
    public static string ErrorLine(string file, string error) => Line(json => WriteError(json, file, error));

    private static string Line(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = EmojiFriendlyJsonEncoder.Instance }))
        {
            write(json);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
