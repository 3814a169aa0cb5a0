using System.Text.Json;
using Facemoji.Pipeline;
using Facemoji.Pipeline.Tracking;

namespace Facemoji.Web.Live;

/// <summary>
/// The faces of a live frame: the fields of <c>facemoji image --json</c> (<see cref="Pipeline.AnalysisJson"/>) plus
/// <c>"track"</c>, the face's stable id, <c>"score"</c>, the mean detector score of the track, and <c>"hits"</c>,
/// the frames it was detected in, and <c>"roll"</c> (degrees, clockwise) from a detector with landmarks; the reading
/// and the roll are the tracker's smoothed ones.
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
            if (face.Roll is { } roll)
            {
                json.WriteNumber("roll", Math.Round(roll, 1));
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
