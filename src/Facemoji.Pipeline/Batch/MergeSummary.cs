using System.Text.Json;
using Facemoji.Expressions;

namespace Facemoji.Pipeline.Batch;

/// <summary>
/// What merged batch results hold: how many inputs, how many faces, faces per emotion (for videos, face-frames
/// per emotion), and the inputs that failed with their messages.
/// </summary>
public sealed record MergeSummary(int Inputs, long Faces, IReadOnlyDictionary<string, long> Emotions, IReadOnlyList<(string File, string Error)> Failures)
{
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = EmojiFriendlyJsonEncoder.Instance }))
        {
            json.WriteStartObject();
            json.WriteNumber("inputs", Inputs);
            json.WriteNumber("faces", Faces);
            json.WriteStartObject("emotions");
            foreach (string name in EmotionNames.Canonical)
            {
                json.WriteNumber(name, Emotions[name]);
            }

            json.WriteEndObject();
            json.WriteNumber("failed", Failures.Count);
            json.WriteStartArray("failures");
            foreach (var (file, error) in Failures)
            {
                json.WriteStartObject();
                json.WriteString("file", file);
                json.WriteString("error", error);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
