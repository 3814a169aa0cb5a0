using System.Text.Json;
using Facemoji.Benchmarks.Detection;
using Spectre.Console;

namespace Facemoji.Cli.Commands.Bench;

/// <summary>
/// <c>facemoji bench detect --wild FER_TEST_FOLDER</c> (the "faces in the wild" check, <see cref="WildCheck"/>) and
/// <c>facemoji bench detect --detector NAME</c> (milliseconds per 640x480 frame for any detector, one thread).
/// </summary>
internal static class BenchWildCommand
{
    public static int RunWild(string ferTest, IReadOnlyList<string> detectors, int perClass, string? model, bool json)
    {
        var results = WildCheck.Compare(ferTest, detectors, perClass, model, (name, time) => Console.Error.WriteLine($"bench detect --wild: {name} done in {time.TotalSeconds:F0} s"));
        if (json)
        {
            WriteJson(results, perClass);
        }
        else
        {
            WriteTable(results);
        }

        return 0;
    }

    private static void WriteJson(IReadOnlyList<WildResult> results, int perClass)
    {
        using var stream = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("benchmark", "detect-wild");
            w.WriteNumber("fer_faces_per_class", perClass);
            w.WriteStartArray("detectors");
            foreach (var r in results)
            {
                w.WriteStartObject();
                w.WriteString("detector", r.Detector);
                w.WriteNumber("face_free_images", r.FaceFreeImages);
                w.WriteNumber("false_positives_per_image", Math.Round(r.FalsePositivesPerImage, 4));
                w.WriteNumber("false_beside_face_per_image", Math.Round(r.FalseBesideFacesPerImage, 4));
                if (r.LooksPerImage is { } looks)
                {
                    w.WriteNumber("looks_per_image", Math.Round(looks, 2));
                }

                w.WriteStartObject("transforms");
                foreach (string t in WildCheck.Transforms)
                {
                    w.WriteStartObject(t);
                    w.WriteNumber("faces", r.Faces(t));
                    w.WriteNumber("found_percent", Math.Round(r.FoundPercent(t), 2));
                    w.WriteNumber("expression_accuracy_percent", Math.Round(r.AccuracyPercent(t), 2));
                    if (r.RollMeasured(t) > 0)
                    {
                        w.WriteNumber("roll_measured", r.RollMeasured(t));
                        w.WriteNumber("roll_error_median_degrees", Math.Round(r.MedianRollError(t), 2));
                        w.WriteNumber("wrong_roll_percent", Math.Round(r.WrongRollPercent(t), 2));
                    }
                    w.WriteEndObject();
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }

    private static void WriteTable(IReadOnlyList<WildResult> results)
    {
        var table = new Table().Title(
            $"faces in the wild: found % / expression accuracy % / median roll error, degrees (% off by more than {WildResult.WrongRollDegrees:F0}°) " +
            $"({results[0].Faces("upright")} faces per transform; roll against the upright find's, plus the turn)");
        table.AddColumn("transform");
        foreach (var r in results)
        {
            table.AddColumn(new TableColumn(r.Detector).RightAligned());
        }

        foreach (string t in WildCheck.Transforms)
        {
            table.AddRow([t, .. results.Select(r => $"{r.FoundPercent(t):F1} / {r.AccuracyPercent(t):F1} / " +
                (r.RollMeasured(t) > 0 ? $"{r.MedianRollError(t):F1} ({r.WrongRollPercent(t):F1}%)" : "-"))]);
        }

        table.AddRow(["false positives per face-free picture", .. results.Select(r => $"{r.FalsePositivesPerImage:F3} ({r.FaceFreeImages})")]);
        table.AddRow(["false detections beside the face per picture with one", .. results.Select(r => $"{r.FalseBesideFacesPerImage:F3} ({r.FalseBesideFaces} in {r.FaceImages})")]);
        table.AddRow(["looks (model runs) per picture", .. results.Select(r => r.LooksPerImage is { } looks ? $"{looks:F2}" : "-")]);
        AnsiConsole.Write(table);
    }

    /// <summary>
    /// Median milliseconds per frame of one detector on one thread (BlazeFace: one upright pass, the photo search as
    /// the pipeline runs it, and every stage of the photo search, each with its looks per frame).
    /// </summary>
    public static int RunTiming(string detector, string framePath, bool quick)
    {
        foreach (var t in DetectorTiming.Run(detector, framePath, quick))
        {
            Console.WriteLine($"{t.Label}: {t.MedianMilliseconds:F2} ms per {t.Width}x{t.Height} frame on 1 thread (median of {t.Repeats}x{t.FramesPerRepeat}), {t.Faces} face(s)");
        }

        return 0;
    }
}
