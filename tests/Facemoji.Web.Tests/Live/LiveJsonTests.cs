using System.Text;
using System.Text.Json;
using Facemoji.Expressions;
using Facemoji.Imaging;
using Facemoji.Pipeline.Tracking;
using Facemoji.Web.Live;

namespace Facemoji.Web.Tests.Live;

/// <summary>The live answer's faces: the tracked roll goes to the page (cover mode turns the emoji by it), only when the detector gives one.</summary>
public sealed class LiveJsonTests
{
    private static readonly ExpressionReading Happy = new([0.05f, 0.05f, 0.05f, 0.6f, 0.05f, 0.1f, 0.1f]);

    [Fact]
    public void A_tracked_roll_is_sent_and_a_cascade_face_has_none()
    {
        var faces = Write([new TrackedFace(1, new PixelRect(10, 20, 100, 100), Happy, 0) { Roll = 31.26 }, new TrackedFace(2, new PixelRect(200, 20, 80, 80), Happy, 0)]);
        faces[0].GetProperty("roll").GetDouble().Should().Be(31.3);
        faces[1].TryGetProperty("roll", out _).Should().BeFalse();
    }

    private static JsonElement[] Write(IReadOnlyList<TrackedFace> faces)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            LiveJson.WriteFaces(json, faces);
            json.WriteEndObject();
        }

        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(stream.ToArray()));
        return document.RootElement.GetProperty("faces").EnumerateArray().Select(e => e.Clone()).ToArray();
    }
}
