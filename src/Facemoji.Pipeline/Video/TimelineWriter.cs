using System.Globalization;
using System.Text;
using System.Text.Json;
using Facemoji.Engine;
using Facemoji.Expressions;
using Facemoji.Pipeline.Tracking;

namespace Facemoji.Pipeline.Video;

/// <summary>
/// Streams the per-frame timeline of a video (one row per face per frame: frame, time, track id, box, emotion,
/// confidence, intensity and the seven probabilities) to CSV or JSON, chosen by the file's extension.
/// Rows are written as they come, so a long video does not grow memory; the file appears under its name only
/// when <see cref="Complete"/> is called.
/// </summary>
internal sealed class TimelineWriter : IDisposable
{
    private readonly string path;
    private readonly string temporaryPath;
    private readonly FileStream stream;
    private readonly StreamWriter? csv;
    private readonly Utf8JsonWriter? json;
    private bool completed;

    public TimelineWriter(string path, string videoName, double framesPerSecond)
    {
        this.path = path;
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".csv" or ".json"))
        {
            throw new FacemojiException($"{path}: a timeline is written as .csv or .json, not '{extension}'.");
        }

        OutputFile.Check(path);
        temporaryPath = path + ".partial";
        stream = new FileStream(temporaryPath, FileMode.Create, FileAccess.Write);
        if (extension == ".csv")
        {
            csv = new StreamWriter(stream, new UTF8Encoding(false));
            csv.WriteLine("frame,time_s,track_id,x,y,w,h,emotion,confidence,intensity," + string.Join(',', EmotionNames.Canonical.Select(n => "p_" + n)));
        }
        else
        {
            json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
            json.WriteStartObject();
            json.WriteString("video", videoName);
            json.WriteNumber("fps", Math.Round(framesPerSecond, 6));
            json.WriteStartArray("rows");
        }
    }

    public void WriteFrame(int frame, double timeSeconds, IReadOnlyList<TrackedFace> faces)
    {
        foreach (var face in faces)
        {
            var r = face.Reading;
            var b = face.Box;
            if (csv is not null)
            {
                var line = new StringBuilder();
                line.Append(CultureInfo.InvariantCulture, $"{frame},{timeSeconds:0.###},{face.TrackId},{b.X},{b.Y},{b.Width},{b.Height},");
                line.Append(CultureInfo.InvariantCulture, $"{r.Emotion.Name()},{r.Confidence:0.####},{r.Intensity.ToString().ToLowerInvariant()}");
                foreach (float p in r.Probabilities)
                {
                    line.Append(CultureInfo.InvariantCulture, $",{p:0.####}");
                }

                csv.WriteLine(line.ToString());
            }
            else
            {
                json!.WriteStartObject();
                json.WriteNumber("frame", frame);
                json.WriteNumber("time", Math.Round(timeSeconds, 3));
                json.WriteNumber("track_id", face.TrackId);
                json.WriteStartArray("box");
                json.WriteNumberValue(b.X);
                json.WriteNumberValue(b.Y);
                json.WriteNumberValue(b.Width);
                json.WriteNumberValue(b.Height);
                json.WriteEndArray();
                json.WriteString("emotion", r.Emotion.Name());
                json.WriteNumber("confidence", Math.Round(r.Confidence, 4));
                json.WriteString("intensity", r.Intensity.ToString().ToLowerInvariant());
                json.WriteStartObject("probabilities");
                for (int i = 0; i < EmotionNames.Count; i++)
                {
                    json.WriteNumber(EmotionNames.Canonical[i], Math.Round(r.Probabilities[i], 4));
                }

                json.WriteEndObject();
                json.WriteEndObject();
                if (json.BytesPending > 1 << 16)
                {
                    json.Flush();
                }
            }
        }
    }

    public void Complete()
    {
        if (json is not null)
        {
            json.WriteEndArray();
            json.WriteEndObject();
        }

        CloseFile();
        File.Move(temporaryPath, path, overwrite: true);
        completed = true;
    }

    public void Dispose()
    {
        CloseFile();
        if (!completed)
        {
            File.Delete(temporaryPath);
        }
    }

    private void CloseFile()
    {
        // The JSON writer and the text writer flush into the stream, so they close before it.
        json?.Dispose();
        csv?.Dispose();
        stream.Dispose();
    }
}
