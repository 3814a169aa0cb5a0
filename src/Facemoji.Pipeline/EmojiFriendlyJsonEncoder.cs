using System.Text;
using System.Text.Encodings.Web;

namespace Facemoji.Pipeline;

/// <summary>
/// A JSON string encoder that escapes only what JSON requires (quotes, backslashes, control characters) and
/// lone surrogates. System.Text.Json's built-in encoders, even UnsafeRelaxedJsonEscaping, write every emoji as
/// a \uD83D\uDE42 surrogate pair; the readings should show 🙂 to a person reading the output too.
/// Output is meant for UTF-8 files, terminals and HTTP bodies, never for embedding inside HTML.
/// </summary>
internal sealed class EmojiFriendlyJsonEncoder : JavaScriptEncoder
{
    public static EmojiFriendlyJsonEncoder Instance { get; } = new();

    private EmojiFriendlyJsonEncoder()
    {
    }

    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar < 0x20 || unicodeScalar == '"' || unicodeScalar == '\\' || (unicodeScalar >= 0xD800 && unicodeScalar <= 0xDFFF);

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var span = new ReadOnlySpan<char>(text, textLength);
        int index = 0;
        while (index < span.Length)
        {
            var status = Rune.DecodeFromUtf16(span[index..], out Rune rune, out int consumed);
            if (status != System.Buffers.OperationStatus.Done || WillEncode(rune.Value))
            {
                return index;
            }

            index += consumed;
        }

        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        string encoded = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            _ when WillEncode(unicodeScalar) => $"\\u{unicodeScalar:X4}",
            _ => new Rune(unicodeScalar).ToString(),
        };
        if (encoded.Length > bufferLength)
        {
            numberOfCharactersWritten = 0;
            return false;
        }

        encoded.AsSpan().CopyTo(new Span<char>(buffer, bufferLength));
        numberOfCharactersWritten = encoded.Length;
        return true;
    }
}
