using System.Globalization;
using Facemoji.Engine;
using Facemoji.Imaging;

namespace Facemoji.Pipeline.Video;

/// <summary>
/// Decodes a video with ffmpeg into RGBA frames read from a pipe, one frame at a time into one reused image,
/// so memory stays flat however long the video is.
/// </summary>
internal sealed class VideoFrameReader : IDisposable
{
    private readonly ToolProcess ffmpeg;
    private readonly Stream frames;
    private readonly string path;

    public VideoFrameReader(string path)
    {
        this.path = path;
        Info = VideoInfo.Probe(path);
        ffmpeg = FfmpegTools.Start(FfmpegTools.Ffmpeg,
            ["-v", "error", "-nostdin", "-i", path, "-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "rgba", "-vsync", "passthrough", "-"],
            redirectInput: false);
        frames = ffmpeg.Process.StandardOutput.BaseStream;
        Frame = new RgbaImage(Info.Width, Info.Height);
    }

    public VideoInfo Info { get; }

    /// <summary>The current frame; overwritten by each <see cref="ReadNext"/>.</summary>
    public RgbaImage Frame { get; }

    /// <summary>Index of the frame in <see cref="Frame"/>, counting from 0; -1 before the first read.</summary>
    public int FrameIndex { get; private set; } = -1;

    public double FrameTimeSeconds => FrameIndex / Info.FramesPerSecond;

    /// <summary>What ffmpeg reported about damaged or missing data although it finished; null when it said nothing.</summary>
    public string? DecodeWarning { get; private set; }

    /// <summary>Reads the next frame into <see cref="Frame"/>; false at the end of the video.</summary>
    public bool ReadNext()
    {
        var buffer = Frame.Pixels.AsSpan();
        int filled = 0;
        while (filled < buffer.Length)
        {
            int read = frames.Read(buffer[filled..]);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        if (filled == buffer.Length)
        {
            FrameIndex++;
            return true;
        }

        if (ffmpeg.WaitForExit() != 0)
        {
            throw new FacemojiException($"{path}: ffmpeg could not decode frame {(FrameIndex + 1).ToString(CultureInfo.InvariantCulture)} ({ffmpeg.ErrorSummary}).");
        }

        // ffmpeg reads a truncated file to its end and exits 0, saying what it missed on standard error (-v error:
        // nothing at all for a sound file, so silence must not become a warning).
        DecodeWarning = ffmpeg.LastErrorLine;

        return false;
    }

    public void Dispose() => ffmpeg.Dispose();
}
