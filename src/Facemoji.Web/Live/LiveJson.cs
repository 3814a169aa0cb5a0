using System.Text.Json;
using Facemoji.Pipeline;
using Facemoji.Pipeline.Tracking;

namespace Facemoji.Web.Live;

/// <summary>
/// The faces of a live frame: the fields of <c>facemoji image --json</c> (<see cref="Pipeline.AnalysisJson"/>) plus
/// <c>"track"</c>, the face's stable id, <c>"score"</c>, the mean detector score of the track, and <c>"hits"</c>,
/// the frames it was detected in; the reading is the tracker's smoothed one.
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
            json.WriteNumber("score", Math.Round(face.Score, 3));
            json.WriteNumber("hits", face.Hits);
            AnalysisJson.WriteFaceFields(json, face.Box, face.Reading);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
