using System.Text.Json;
using Facemoji.Emoji;
using Facemoji.Expressions;
using Facemoji.Web.Analysis;

namespace Facemoji.Web.Api;

/// <summary>
/// The JSON of an analysis, the same object as <c>facemoji image --json</c>:
/// <c>{"file","width","height","faces":[{"box":[x,y,w,h],"emotion","confidence","intensity","emoji","probabilities":{label:p}}]}</c>;
/// live frames add <c>"track"</c> to each face.
/// </summary>
internal static class AnalysisJsonWriter
{
    public static void WriteFaces(Utf8JsonWriter json, IReadOnlyList<WebFace> faces)
    {
        json.WriteStartArray("faces");
        foreach (var face in faces)
        {
            json.WriteStartObject();
            if (face.TrackId is { } track)
            {
                json.WriteNumber("track", track);
            }

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

    public static byte[] Image(string file, int width, int height, IReadOnlyList<WebFace> faces)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("file", file);
            json.WriteNumber("width", width);
            json.WriteNumber("height", height);
            WriteFaces(json, faces);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
