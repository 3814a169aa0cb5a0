using System.Text;
using System.Text.Json;

namespace Facemoji.Pipeline.Tests;

public class EmojiFriendlyJsonEncoderTests
{
    private static string Write(string value)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = EmojiFriendlyJsonEncoder.Instance }))
        {
            json.WriteStringValue(value);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Theory]
    [InlineData("🙂 happy", "\"🙂 happy\"")]
    [InlineData("a \"quote\" and \\", "\"a \\\"quote\\\" and \\\\\"")]
    [InlineData("line\nbreak\u0001", "\"line\\nbreak\\u0001\"")]
    [InlineData("<tag>&amp;", "\"<tag>&amp;\"")]
    public void Escapes_only_what_json_needs(string value, string expected)
    {
        string written = Write(value);
        written.Should().Be(expected);
        JsonDocument.Parse(written).RootElement.GetString().Should().Be(value);
    }

    [Fact]
    public void Lone_surrogates_stay_valid_json()
    {
        string written = Write("x\uD83Dy");
        var act = () => JsonDocument.Parse(written);
        act.Should().NotThrow();
    }
}
