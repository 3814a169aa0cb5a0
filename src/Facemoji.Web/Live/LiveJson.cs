using System.Text.Json;
using Facemoji.Pipeline;
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
            AnalysisJson.WriteFaceFields(json, face.Box, face.Reading);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
