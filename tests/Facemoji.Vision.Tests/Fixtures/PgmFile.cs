using System.Text;
using Facemoji.Imaging;

namespace Facemoji.Vision.Tests.Fixtures;

/// <summary>Binary PGM (P5, 8-bit) for the detector fixtures, so the tests need no image codec.</summary>
public static class PgmFile
{
    public static GrayImage Read(string path)
    {
        byte[] data = File.ReadAllBytes(path);
        int position = 0;
        string magic = Token(data, ref position);
        if (magic != "P5")
        {
            throw new InvalidDataException($"{path}: not a binary PGM (magic '{magic}')");
        }

        int width = int.Parse(Token(data, ref position));
        int height = int.Parse(Token(data, ref position));
        int max = int.Parse(Token(data, ref position));
        if (max != 255)
        {
            throw new InvalidDataException($"{path}: only 8-bit PGM is supported");
        }

        position++; // the single whitespace after maxval
        return new GrayImage(width, height, data.AsSpan(position, width * height).ToArray());
    }

    public static void Write(string path, GrayImage image)
    {
        using var stream = File.Create(path);
        stream.Write(Encoding.ASCII.GetBytes($"P5\n{image.Width} {image.Height}\n255\n"));
        stream.Write(image.Pixels);
    }

    private static string Token(byte[] data, ref int position)
    {
        while (char.IsWhiteSpace((char)data[position]))
        {
            position++;
        }

        int start = position;
        while (!char.IsWhiteSpace((char)data[position]))
        {
            position++;
        }

        return Encoding.ASCII.GetString(data, start, position - start);
    }
}
