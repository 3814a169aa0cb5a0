using System.Globalization;
using System.Text.Json;
using Facemoji.Engine;
using Facemoji.Imaging;

namespace Facemoji.Pipeline.Video;

/// <summary>What ffprobe says about a video file: frame size, rate, length, and whether it has sound.</summary>
internal sealed record VideoInfo(int Width, int Height, double FramesPerSecond, double DurationSeconds, bool HasAudio)
{
    public static VideoInfo Probe(string path)
    {
        if (!File.Exists(path))
        {
            throw new FacemojiException($"{path}: no such file.");
        }

        // ffprobe and then ffmpeg each read the file from its start: a FIFO would block the probe (or lose what it
        // read), and a device never ends.
        if (FileKinds.Of(path) == FileKind.Special)
        {
            throw new FacemojiException($"{path}: {FileKinds.NotRegular}; name a video file.");
        }

        using var probe = FfmpegTools.Start(FfmpegTools.Ffprobe,
            ["-v", "error", "-show_entries", "stream=codec_type,width,height,avg_frame_rate,r_frame_rate:format=duration", "-of", "json", path],
            redirectInput: false);
        string json = probe.Process.StandardOutput.ReadToEnd();
        if (probe.WaitForExit() != 0)
        {
            throw new FacemojiException($"{path}: not a video ffmpeg can read ({probe.ErrorSummary}).");
        }

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        JsonElement? video = null;
        bool hasAudio = false;
        if (root.TryGetProperty("streams", out var streams))
        {
            foreach (var stream in streams.EnumerateArray())
            {
                string type = stream.TryGetProperty("codec_type", out var t) ? t.GetString() ?? "" : "";
                if (type == "video" && video is null)
                {
                    video = stream;
                }
                else if (type == "audio")
                {
                    hasAudio = true;
                }
            }
        }

        if (video is not { } v || !v.TryGetProperty("width", out var w) || !v.TryGetProperty("height", out var h))
        {
            throw new FacemojiException($"{path}: has no video stream.");
        }

        // ffprobe answers width 0 (and exit code 0) for a file its image demuxers claim by name but cannot decode.
        if (!w.TryGetInt32(out int width) || !h.TryGetInt32(out int height) || width <= 0 || height <= 0)
        {
            string? said = probe.LastErrorLine;
            throw new FacemojiException($"{path}: not a video ffmpeg can read (its video stream has no usable frame size, {w}x{h}{(said is null ? "" : $"; ffprobe: {said}")}).");
        }

        // Each frame is decoded to one RGBA array, under the budget of one photo's decode (an 8K frame is 133 MB).
        ImageLimits.CheckDecodeBytes(4L * width * height, width, height, path);

        double fps = ParseRate(v, "avg_frame_rate") ?? ParseRate(v, "r_frame_rate") ?? 25.0;
        double duration = root.TryGetProperty("format", out var format) && format.TryGetProperty("duration", out var d)
            && double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) ? seconds : 0;
        return new VideoInfo(width, height, fps, duration, hasAudio);
    }

    private static double? ParseRate(JsonElement stream, string property)
    {
        if (!stream.TryGetProperty(property, out var value) || value.GetString() is not { } text)
        {
            return null;
        }

        var parts = text.Split('/');
        if (parts.Length == 2 && double.TryParse(parts[0], CultureInfo.InvariantCulture, out double num)
            && double.TryParse(parts[1], CultureInfo.InvariantCulture, out double den) && num > 0 && den > 0)
        {
            return num / den;
        }

        return null;
    }
}
