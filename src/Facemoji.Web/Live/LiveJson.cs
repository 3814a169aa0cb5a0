using System.Text.Json;
using Facemoji.Emoji;
using Facemoji.Expressions;
using Facemoji.Pipeline.Tracking;

namespace Facemoji.Web.Live;

/// <summary>
/// The faces of a live frame: the fields of <c>facemoji image --json</c> (<see cref="Pipeline.AnalysisJson"/>) plus
/// <c>"track"</c>, the face's stable id; the reading is the tracker's smoothed one.
/// </summary>
internal static class LiveJson
{
    public static void WriteFaces(Utf8JsonWriter json, IReadOnlyList<TrackedFace> faces)
    {
        json.WriteStartArray("faces");
        foreach (var face in faces)
        {
            json.WriteStartObject();
            json.WriteNumber("track", face.TrackId);
            json.WriteStartArray("box");
            json.WriteNumberValue(face.Box.X);
            json.WriteNumberValue(face.Box.Y);
            json.WriteNumberValue(face.Box.Width);
            json.WriteNumberValue(face.Box.Height);
            json.WriteEndArray();
            ExpressionReading reading = face.Reading;
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
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
